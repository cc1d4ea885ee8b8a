import EventLog
import Foundation
import Synchronization
import Testing
@testable import PostgresStore

/// The ordering promise under concurrency: many writers, on two store instances (as two processes would be),
/// while a subscriber on a third follows from position 1. The subscriber must see every committed event exactly
/// once, in position order, with no gaps, in every run.
@Suite("Gapless ordering", .serialized)
struct GaplessOrderingTests {
    @Test("concurrent writers, one subscriber: every event exactly once, in order",
          arguments: [7, 4096], 0..<6)  // 4096: reads split in two concurrent halves
    func concurrentWritersAndSubscriber(batchSize: Int, run: Int) async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        let writerA = try await TestStores.open(schema: schema)
        let writerB = try await TestStores.open(schema: schema)
        let follower = try await TestStores.open(schema: schema, readers: 2)  // large reads: two halves at once
        let sentinelType = "Sentinel"

        let subscriber = Task { () -> [(LogPosition, UUID)] in
            var seen: [(LogPosition, UUID)] = []
            for try await batch in follower.subscribe(from: 1, batchSize: batchSize) {
                var done = false
                batch.withRecords { views in
                    for v in views {
                        seen.append((v.position, v.id))
                        if v.typeIs("Sentinel") { done = true }
                    }
                }
                if done { return seen }
            }
            return seen
        }

        let writers = 8, appendsPerWriter = 30
        let written = try await withThrowingTaskGroup(of: [UUID].self) { group in
            for w in 0..<writers {
                let store = w % 2 == 0 ? writerA : writerB
                group.addTask {
                    var rng = SystemRandomNumberGenerator()
                    var ids: [UUID] = []
                    for _ in 0..<appendsPerWriter {
                        let events = Fixtures.events(Int.random(in: 1...4, using: &rng))
                        let stream = Fixtures.stream("person-\(Int.random(in: 0..<6, using: &rng))")
                        try await store.append(events, to: stream, expecting: .any)
                        ids += events.map(\.id)
                    }
                    return ids
                }
            }
            return try await group.reduce(into: [UUID]()) { $0 += $1 }
        }
        let sentinel = Fixtures.event(sentinelType)
        try await writerA.append([sentinel], to: Fixtures.stream("control-1"))

        let seen = try await withThrowingTaskGroup(of: [(LogPosition, UUID)]?.self) { group in
            group.addTask { try await subscriber.value }
            group.addTask { try await Task.sleep(for: .seconds(60)); return nil }
            let first = try await group.next()!
            group.cancelAll()
            subscriber.cancel()
            return first
        }
        let got = try #require(seen, "run \(run): the subscriber did not reach the sentinel within 60 s")
        #expect(got.map(\.0) == Array(1...LogPosition(written.count + 1)), "run \(run): positions not 1...n in order")
        #expect(Set(got.map(\.1)) == Set(written + [sentinel.id]), "run \(run): events missing or foreign")
        #expect(got.count == written.count + 1, "run \(run): an event was delivered twice")
        #expect(await LogVerifier.verify(follower).failure == nil)
        try await writerA.close()
        try await writerB.close()
        try await follower.close()
    }

    @Test("plain reads racing writers never skip a position", arguments: [5, 3000], 0..<2)
    func readersNeverSkip(batchSize: Int, run: Int) async throws {
        // Large reads need a log longer than half a batch to join two halves while writers run.
        let perAppend = batchSize > 1000 ? 20 : 2
        try await TestStores.with { store in
            let stop = Atomic<Bool>(false)
            let reader = Task { () -> Int in
                var next: LogPosition = 1
                var checks = 0
                while true {
                    if stop.load(ordering: .acquiring) {
                        let head = try await store.headPosition()
                        if next > head { break }
                    }
                    let batch = try await store.read(from: next, filter: .all, maxCount: batchSize)
                    let positions = batch.withRecords { $0.map(\.position) }
                    if let first = positions.first {
                        #expect(first == next)
                        #expect(positions == Array(next..<next + LogPosition(positions.count)))
                    }
                    next = batch.nextPosition
                    checks += 1
                }
                return Int(next - 1)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<6 {
                    group.addTask {
                        for _ in 0..<25 { try await store.append(Fixtures.events(perAppend), to: Fixtures.stream("w-\(w)")) }
                    }
                }
                try await group.waitForAll()
            }
            stop.store(true, ordering: .releasing)
            #expect(try await reader.value == 6 * 25 * perAppend)
        }
    }
}

@Suite("Live wake-ups")
struct LiveTests {
    @Test("waitForAppend is woken by NOTIFY from another store instance, long before the fallback poll")
    func notifyWakesOtherInstance() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        let waiter = try await TestStores.open(schema: schema, pollInterval: .seconds(120))
        let writer = try await TestStores.open(schema: schema, pollInterval: .seconds(120))
        try await writer.append(Fixtures.events(1), to: Fixtures.stream("person-1"))
        let clock = ContinuousClock()
        // Wait until the waiter has seen the first append (by NOTIFY), then time a second.
        try await waiter.waitForAppend(after: 0)
        let start = clock.now
        let woke = Task { try await waiter.waitForAppend(after: 1); return clock.now }
        try await Task.sleep(for: .milliseconds(100))
        try await writer.append(Fixtures.events(1), to: Fixtures.stream("person-1"))
        let outcome = try await withThrowingTaskGroup(of: ContinuousClock.Instant?.self) { group in
            group.addTask { try await woke.value }
            group.addTask { try await Task.sleep(for: .seconds(10)); return nil }
            let first = try await group.next()!
            group.cancelAll()
            woke.cancel()
            return first
        }
        let at = try #require(outcome, "not woken within 10 s: NOTIFY did not arrive")
        #expect(at - start < .seconds(5))
        try await waiter.close()
        try await writer.close()
    }

    @Test("a waiting subscriber is released with storeClosed when the store closes")
    func closeReleasesWaiters() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        let store = try await TestStores.open(schema: schema)
        let waiting = Task { try await store.waitForAppend(after: 10) }
        try await Task.sleep(for: .milliseconds(100))
        try await store.close()
        await #expect(throws: EventLogError.self) { try await waiting.value }
    }
}
