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

    @Test("planning against the whole version table in place gives the same rows and versions as the copied one")
    func plansInPlace() throws {
        let streams = (0..<20).map { Fixtures.stream("person-\($0)") }
        var table: [StreamID: StreamVersion] = [:]
        for (i, s) in streams.enumerated() where i % 2 == 0 { table[s] = StreamVersion(i) }
        let requests = streams.enumerated().map { i, s in
            StreamAppend(stream: s, expected: i % 2 == 0 ? .exactly(StreamVersion(i)) : (i == 7 ? .exactly(3) : .noStream),
                         events: Fixtures.events(1 + i % 3))
        }
        let copied = try AppendPlanner.plan(
            requests, head: (5, .genesis), versions: table, existing: [:], idsRepeatAcrossRequests: false, recordedTime: Fixtures.t0)
        var inPlace = table
        let updated = try AppendPlanner.plan(
            requests, head: (5, .genesis), updating: &inPlace, existing: [:], idsRepeatAcrossRequests: false, recordedTime: Fixtures.t0)
        #expect(updated.copyData == copied.copyData)
        #expect(updated.head.hash == copied.head.hash)
        #expect(inPlace == copied.versions)
        #expect(updated.results[7].failureCode == .wrongExpectedVersion)
        #expect(inPlace[streams[7]] == nil, "a refused request leaves its stream as it was")
        #expect(inPlace[streams[4]] == 4 + 2)
    }

    @Test("an event id twice in a group is found, in one request or across two")
    func idsRepeat() {
        let e = Fixtures.events(3)
        let a = StreamAppend(stream: Fixtures.stream("a-1"), expected: .any, events: e)
        let b = StreamAppend(stream: Fixtures.stream("b-1"), expected: .any, events: Fixtures.events(2))
        #expect(!AppendPlanner.idsRepeat(in: [a, b]))
        #expect(AppendPlanner.idsRepeat(in: [a, b, StreamAppend(stream: Fixtures.stream("c-1"), expected: .any, events: [e[1]])]))
        #expect(AppendPlanner.idsRepeat(in: [StreamAppend(stream: Fixtures.stream("a-1"), expected: .any, events: [e[0], e[0]])]))
        #expect(AppendPlanner.idsRepeat(in: [a, b]) == AppendPlanner.needs(of: [a, b]).idsRepeatAcrossRequests)
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
