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

    @Test("What no store keeps (NUL in text, times outside years 1 to 9999) is refused by the shared validation")
    func sharedLimits() throws {
        var nul = Fixtures.event()
        nul.metadata.actor = "a\u{0}b"
        var old = Fixtures.event()
        old.effectiveTime = Timestamp(microsecondsSinceEpoch: .min)
        let requests = [nul, old].map { StreamAppend(stream: Fixtures.stream("a-1"), expected: .any, events: [$0]) }
        let plan = try AppendPlanner.plan(
            requests, head: (0, .genesis), versions: [:], existing: [:], idsRepeatAcrossRequests: false, recordedTime: Fixtures.t0)
        #expect(plan.rowCount == 0)
        for result in plan.results {
            #expect(throws: EventLogError.self) { try result.get() }
            if case .failure(let error) = result { #expect(error.code == .invalidEvent) }
        }
    }

    @Test("An event id stored in another stream is refused, whatever the content")
    func idInOtherStream() throws {
        let e = Fixtures.event()
        let elsewhere = RecordedEvent(
            position: 7, stream: Fixtures.stream("other-1"), streamVersion: 0, id: e.id, type: e.type,
            schemaVersion: e.schemaVersion, recordedTime: Fixtures.t0, effectiveTime: e.effectiveTime, payload: e.payload,
            metadata: e.metadata, hash: .genesis)
        let plan = try AppendPlanner.plan(
            [StreamAppend(stream: Fixtures.stream("a-1"), expected: .any, events: [e])], head: (7, .genesis), versions: [:],
            existing: [e.id: elsewhere], idsRepeatAcrossRequests: false, recordedTime: Fixtures.t0)
        #expect(plan.rowCount == 0)
        if case .failure(let error) = plan.results[0] {
            #expect(error.code == .duplicateEventID)
            #expect(error.position == 7)
        } else {
            Issue.record("expected duplicate-event-id")
        }
    }
}
