import FuzzSupport
import EventLog
import FileStore
import Foundation
import MemoryStore
import RegistryDomain
@testable import RegistryProjections
import Synchronization
import Testing

/// The concurrency soak: writer tasks append to their own streams and, with expected versions, to streams they
/// share, while readers re-read the whole log, a subscriber follows it and a ``LiveProjection`` of
/// ``RegistryFold`` folds it, on the in-memory and the file store. At the end: every acknowledged append is in the
/// log exactly once at its acknowledged position; positions run 1…head without a gap; each stream's versions run
/// 0…n in position order; no two writers were granted the same version of a shared stream; every reader and the
/// subscriber saw a gapless prefix in order; the live projection equals a rebuild. Long run: `scripts/torture soak`.
@Suite("Concurrency soak", .serialized)
struct ConcurrencySoakTests {
    struct Ack: Hashable { var stream: StreamID; var version: StreamVersion; var position: LogPosition; var id: UUID }

    static func person(_ writer: Int, _ n: Int) -> CitizenID {
        CityLog.id("120101", "1990\(String(format: "%02d", writer % 12 + 1))\(String(format: "%02d", n % 28 + 1))", String(format: "%03d", (writer * 7 + n) % 1000))
    }

    static func event(_ k: Int, of person: CitizenID) -> RegistryEvent {
        k == 0 ? CityLog.registered(person, residence: "120101001001")
            : CityLog.enrolled([.residentMedical, .residentPension, .employeeMedical, .maternity][k % 4])
    }

    /// The positions the subscriber saw.
    final class Followed: Sendable {
        let positions = Mutex<[LogPosition]>([])
        func withLock<R>(_ body: (inout [LogPosition]) -> R) -> R { positions.withLock { body(&$0) } }
    }

    /// Set once the writers are done.
    final class Flag: Sendable { let value = Atomic<Bool>(false) }

    /// What a soak did.
    struct Figures { var acks = 0, conflicts = 0, reads = 0, subscribed = 0 }

    /// One soak on `store`: `writers` tasks of `rounds` appends each.
    static func soak<S: EventStore>(_ store: S, writers: Int, rounds: Int, seed: UInt64) async throws -> Figures {
        let shared = (0..<3).map { person(900 + $0, $0) }
        let live = LiveProjection(RegistryFold())
        let follower = Task { try await live.run(store: store, batchSize: 7) }
        let done = Flag()

        // Readers: the whole log, again and again, must be a gapless, ordered prefix.
        let readers = (0..<2).map { _ in
            Task { () throws -> Int in
                var reads = 0
                repeat {
                    var expected: LogPosition = 1
                    for try await batch in store.readAll(batchSize: 50) {
                        for e in batch.events {
                            guard e.position == expected else { throw EventLogError(.corruptRecord, "reader saw \(e.position) where \(expected) belongs") }
                            expected += 1
                        }
                    }
                    reads += 1
                    try await Task.sleep(nanoseconds: 1_000_000)
                } while !done.value.load(ordering: .acquiring)
                return reads
            }
        }
        // A subscriber from the start: every position once, in order.
        let seenByFollower = Followed()
        let subscriber = Task {
            do {
                for try await batch in store.subscribe(batchSize: 13) {
                    let positions = batch.events.map(\.position)
                    seenByFollower.withLock { $0 += positions }
                }
            } catch {}  // cancelled once it has seen the head
        }

        // Writers.
        let acks = try await withThrowingTaskGroup(of: ([Ack], Int).self) { group in
            for w in 0..<writers {
                group.addTask {
                    var random = Mutator(seed: seed &+ UInt64(w))
                    var mine: [Ack] = [], conflicts = 0
                    var versions: [StreamID: Int] = [:]
                    for _ in 0..<rounds {
                        if Int.random(in: 0..<3, using: &random) == 0 {
                            // A shared stream: read its version, append expecting it, retry on conflict.
                            let who = shared.randomElement(using: &random)!
                            while true {
                                let current = try await store.streamVersion(of: who.streamID)
                                let k = current.map { Int($0) + 1 } ?? 0
                                let id = UUID()
                                let request = StreamAppend(stream: who.streamID, expected: current.map { .exactly($0) } ?? .noStream,
                                                           events: [event(k, of: who).proposed(id: id, effective: CityLog.at("2024-01-01"), metadata: EventMetadata(actor: "w\(w)"))])
                                let result = try await store.append([request])[0]
                                switch result {
                                case .success(let r):
                                    mine.append(Ack(stream: who.streamID, version: r.streamVersion, position: r.positions.lowerBound, id: id))
                                case .failure(let e):
                                    guard e.code == .wrongExpectedVersion else { throw e }
                                    conflicts += 1
                                    continue
                                }
                                break
                            }
                        } else {
                            // Its own streams: a few people, their events in order.
                            let p = person(w, Int.random(in: 0..<4, using: &random))
                            let k = versions[p.streamID, default: 0]
                            let id = UUID()
                            let r = try await store.append([event(k, of: p).proposed(id: id, effective: CityLog.at("2024-02-01"), metadata: EventMetadata(actor: "w\(w)"))],
                                                           to: p.streamID, expecting: k == 0 ? .noStream : .exactly(StreamVersion(k - 1)))
                            versions[p.streamID] = k + 1
                            mine.append(Ack(stream: p.streamID, version: r.streamVersion, position: r.positions.lowerBound, id: id))
                        }
                        if Int.random(in: 0..<8, using: &random) == 0 { await Task.yield() }
                    }
                    return (mine, conflicts)
                }
            }
            var all: [Ack] = [], conflicts = 0
            for try await (mine, c) in group { all += mine; conflicts += c }
            return (all, conflicts)
        }
        done.value.store(true, ordering: .releasing)
        var figures = Figures(acks: acks.0.count, conflicts: acks.1)
        for r in readers { figures.reads += try await r.value }
        let head = try await store.headPosition()
        let deadline = Date().addingTimeInterval(60)
        while seenByFollower.withLock({ $0.count }) < Int(head), Date() < deadline { try await Task.sleep(nanoseconds: 2_000_000) }
        subscriber.cancel()
        _ = await subscriber.value
        let seen = seenByFollower.withLock { $0 }
        figures.subscribed = seen.count
        #expect(seen == Array(1...head), "the subscriber saw \(seen.count) positions of \(head), or out of order")

        // The log: exactly the acknowledged appends.
        var log: [RecordedEvent] = []
        for try await batch in store.readAll() { log += batch.events }
        #expect(log.map(\.position) == Array(1...head))
        #expect(log.count == acks.0.count, "\(log.count) records for \(acks.0.count) acknowledged appends")
        let byID = Dictionary(log.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byID.count == log.count, "an event id appears twice")
        for ack in acks.0 {
            let e = byID[ack.id]
            #expect(e?.position == ack.position && e?.stream == ack.stream && e?.streamVersion == ack.version, "acknowledged \(ack) but the log has \(String(describing: e))")
        }
        var nextVersion: [StreamID: StreamVersion] = [:]
        for e in log {
            #expect(e.streamVersion == nextVersion[e.stream, default: 0], "\(e.stream) version \(e.streamVersion) at \(e.position)")
            nextVersion[e.stream] = e.streamVersion + 1
        }
        #expect(Set(acks.0.map { "\($0.stream)#\($0.version)" }).count == acks.0.count, "two appends were granted the same version")

        try await live.waitUntil(position: head)
        follower.cancel()
        let rebuilt = try await ProjectionEngine.rebuild(RegistryFold(), from: store)
        #expect(live.current == rebuilt, "the live projection differs from a rebuild")
        return figures
    }

    static var rounds: Int { Mutator.size(default: 40) }

    @Test("In-memory store: 8 writers, 2 readers, a subscriber and a live projection")
    func memory() async throws {
        let started = Date()
        let f = try await Self.soak(InMemoryEventStore(), writers: 8, rounds: Self.rounds, seed: Mutator.seed)
        print("soak memory: \(f.acks) appends (\(f.conflicts) expected-version conflicts retried), \(f.reads) full reads, \(f.subscribed) subscribed, \(String(format: "%.1f", Date().timeIntervalSince(started))) s, seed \(Mutator.seed)")
    }

    @Test("File store: 8 writers, 2 readers, a subscriber and a live projection, then reopened")
    func file() async throws {
        let started = Date()
        let path = NSTemporaryDirectory() + "soak-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try FileEventStore(directory: path, options: .init(segmentSize: 64 << 10))
        let f = try await Self.soak(store, writers: 8, rounds: Self.rounds, seed: Mutator.seed)
        let head = try await store.headPosition()
        try await store.close()
        let reopened = try FileEventStore(directory: path)
        #expect(try await reopened.headPosition() == head)
        #expect(await LogVerifier.verify(reopened).failure == nil)
        try await reopened.close()
        print("soak file: \(f.acks) appends (\(f.conflicts) expected-version conflicts retried), \(f.reads) full reads, \(f.subscribed) subscribed, \(String(format: "%.1f", Date().timeIntervalSince(started))) s, seed \(Mutator.seed)")
    }
}
