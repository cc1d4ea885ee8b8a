import EventLog
import Foundation
import Testing
@testable import PostgresStore

@Suite("AppendPlanner")
struct AppendPlannerTests {
    @Test("positions and versions continue from the head and the streams; the chain links")
    func plansRows() throws {
        let s = Fixtures.stream("person-1")
        let requests = [
            StreamAppend(stream: s, expected: .exactly(4), events: Fixtures.events(2)),
            StreamAppend(stream: s, expected: .exactly(4), events: Fixtures.events(1)),
            StreamAppend(stream: Fixtures.stream("x-1"), expected: .noStream, events: Fixtures.events(1)),
        ]
        let needs = AppendPlanner.needs(of: requests)
        #expect(needs.streams.count == 2)
        #expect(!needs.idsRepeatAcrossRequests)
        let plan = try AppendPlanner.plan(
            requests, head: (10, .genesis), versions: [s: 4], existing: [:], idsRepeatAcrossRequests: false,
            recordedTime: Fixtures.t0)
        #expect(try plan.results[0].get() == AppendResult(streamVersion: 6, positions: 11...12, wasAlreadyAppended: false))
        #expect(plan.results[1].failureCode == .wrongExpectedVersion)
        #expect(try plan.results[2].get().positions == 13...13)
        #expect(plan.rowCount == 3)
        #expect(plan.head.position == 13)
        #expect(plan.head.hash != .genesis)
    }

    @Test("COPY input streamed in parts is the same bytes as in one piece")
    func streamedCopy() throws {
        let requests = (0..<50).map { i in
            StreamAppend(stream: Fixtures.stream("person-\(i)"), expected: .noStream, events: Fixtures.events(3))
        }
        let whole = try AppendPlanner.plan(
            requests, head: (0, .genesis), versions: [:], existing: [:], idsRepeatAcrossRequests: false,
            recordedTime: Fixtures.t0)
        var parts: [UInt8] = []
        var calls = 0
        let streamed = try AppendPlanner.plan(
            requests, head: (0, .genesis), versions: [:], existing: [:], idsRepeatAcrossRequests: false,
            recordedTime: Fixtures.t0, flushSize: 1000, sink: { parts += $0; calls += 1 })
        #expect(calls > 5)
        #expect(parts + streamed.copyData == whole.copyData)
        #expect(streamed.head.hash == whole.head.hash)
        #expect(streamed.rowCount == 150)
    }

    @Test("PostgreSQL's limits are checked before anything is written")
    func postgresLimits() {
        var e = Fixtures.event()
        e.metadata.actor = "a\u{0}b"
        #expect(throws: EventLogError.self) {
            try AppendPlanner.validateForPostgres(StreamAppend(stream: Fixtures.stream("a-1"), expected: .any, events: [e]))
        }
        var old = Fixtures.event()
        old.effectiveTime = Timestamp(microsecondsSinceEpoch: .min)
        #expect(throws: EventLogError.self) {
            try AppendPlanner.validateForPostgres(StreamAppend(stream: Fixtures.stream("a-1"), expected: .any, events: [old]))
        }
    }
}
