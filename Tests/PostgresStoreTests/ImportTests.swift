import EventLog
import Foundation
import Synchronization
import Testing
@testable import PostgresStore

@Suite("Import into an empty log", .serialized)
struct ImportTests {
    func batches(_ count: Int, persons: Int) -> [[StreamAppend]] {
        (0..<count).map { b in
            (0..<persons).map { p in
                StreamAppend(stream: Fixtures.stream("person-\(p)"), expected: b == 0 ? .noStream : .exactly(StreamVersion(2 * b - 1)),
                             events: Fixtures.events(2))
            }
        }
    }

    @Test("an import writes what appends would: positions, versions, chain; indexes come back")
    func importsLikeAppends() async throws {
        try await TestStores.with { store in
            let input = batches(3, persons: 50)
            let summary = try await store.importLog(AsyncStream { c in for b in input { c.yield(b) }; c.finish() })
            #expect(summary == .init(events: 300, requests: 150, head: 300))
            #expect(try await store.headPosition() == 300)
            #expect(try await store.streamVersion(of: Fixtures.stream("person-7")) == 5)
            let report = await LogVerifier.verify(store)
            #expect(report.failure == nil)
            #expect(report.intactUpTo == 300)
            let stream = try await store.readStream(Fixtures.stream("person-3"))
            #expect(stream.map(\.streamVersion) == [0, 1, 2, 3, 4, 5])
            #expect(stream.map { $0.hasSameContent(as: input[$0.streamVersion < 2 ? 0 : $0.streamVersion < 4 ? 1 : 2][3].events[Int($0.streamVersion % 2)]) }.allSatisfy { $0 })
            // The unique indexes are back: appends after the import are judged as usual.
            let again = try await store.append([StreamAppend(stream: Fixtures.stream("person-3"), expected: .noStream, events: input[0][3].events)])
            #expect(try again[0].get().wasAlreadyAppended)
            let reused = try await store.append([StreamAppend(stream: Fixtures.stream("other-1"), expected: .any, events: [input[1][0].events[0]])])
            #expect(reused[0].failureCode == .duplicateEventID)
            await #expect(throws: EventLogError.self) { try await store.importLog(AsyncStream { c in c.yield(input[0]); c.finish() }) }
        }
    }

    @Test("a failed import leaves the log empty and usable")
    func failedImportLeavesNothing() async throws {
        try await TestStores.with { store in
            let input = batches(2, persons: 20)
            var bad = input[1]
            bad[5].expected = .noStream  // person-5 exists by then
            do {
                _ = try await store.importLog(AsyncStream { c in c.yield(input[0]); c.yield(bad); c.finish() })
                Issue.record("expected wrongExpectedVersion")
            } catch let e as EventLogError {
                #expect(e.code == .wrongExpectedVersion)
            }
            var repeated = input[1]
            repeated[0].events[0].id = input[0][1].events[0].id  // an id of the first batch, another stream
            do {
                _ = try await store.importLog(AsyncStream { c in c.yield(input[0]); c.yield(repeated); c.finish() })
                Issue.record("expected duplicateEventID")
            } catch let e as EventLogError {
                #expect(e.code == .duplicateEventID)
            }
            #expect(try await store.headPosition() == 0)
            #expect(try await store.read(from: 1, filter: .all, maxCount: 10).isEmpty)
            try await store.append(Fixtures.events(2), to: Fixtures.stream("person-1"), expecting: .noStream)
            let reused = try await store.append([StreamAppend(stream: Fixtures.stream("person-2"), expected: .any, events: [Fixtures.events(1)[0], Fixtures.events(1)[0]])])
            #expect(reused[0].failureCode == nil)
            #expect(await LogVerifier.verify(store).failure == nil)
        }
    }

    @Test("appends made during an import wait for it, then go")
    func appendsWaitForImport() async throws {
        try await TestStores.with { store in
            let input = batches(4, persons: 200)
            let started = Atomic<Bool>(false)
            let next = Atomic<Int>(0)
            // Unfolded on demand: the first request for a batch comes from inside the running import.
            let slow = AsyncStream<[StreamAppend]>(unfolding: {
                started.store(true, ordering: .releasing)
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < input.count else { return nil }
                try? await Task.sleep(for: .milliseconds(50))
                return input[i]
            })
            let importing = Task { try await store.importLog(slow) }
            while !started.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
            let appended = try await store.append(Fixtures.events(1), to: Fixtures.stream("late-1"), expecting: .noStream)
            let summary = try await importing.value
            #expect(summary.head == 1600)
            #expect(appended.positions == 1601...1601)
            #expect(await LogVerifier.verify(store).intactUpTo == 1601)
        }
    }
}
