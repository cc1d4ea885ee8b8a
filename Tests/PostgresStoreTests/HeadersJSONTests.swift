import EventLog
import Foundation
import Testing
@testable import PostgresStore

@Suite("HeadersJSON")
struct HeadersJSONTests {
    func roundTrip(_ headers: [String: String]) -> [String: String]? {
        var out: [UInt8] = []
        HeadersJSON.encode(headers, into: &out)
        return out.withUnsafeBytes { HeadersJSON.decode($0) }
    }

    @Test("headers survive encoding and parsing, escapes and all")
    func roundTrips() {
        let samples: [[String: String]] = [
            [:], ["a": "b"], ["quote": "\"", "backslash": "\\", "ctl": "\u{01}\u{1F}\n\r\t", "uni": "é 中文 😀", "": "empty key"],
            ["slash": "/", "long": String(repeating: "x", count: 5000)],
        ]
        for s in samples { #expect(roundTrip(s) == s) }
    }

    @Test("the server's jsonb output form parses, with \\u escapes and surrogate pairs")
    func parsesServerForm() {
        let text = "{\"a\": \"b\", \"k\": \"v\\u00e9\\ud83d\\ude00\\/\"}"
        let bytes = [1] + Array(text.utf8)
        #expect(bytes.withUnsafeBytes { HeadersJSON.decode($0) } == ["a": "b", "k": "vé😀/"])
        let bad = [1] + Array("{\"a\": 1}".utf8)
        #expect(bad.withUnsafeBytes { HeadersJSON.decode($0) } == nil)
        #expect(HeadersJSON.emptyObject.withUnsafeBytes { HeadersJSON.isEmptyObject($0) })
    }
}

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
        let plan = AppendPlanner.plan(
            requests, head: (10, .genesis), versions: [s: 4], existing: [:], idsRepeatAcrossRequests: false,
            recordedTime: Fixtures.t0)
        #expect(try plan.results[0].get() == AppendResult(streamVersion: 6, positions: 11...12, wasAlreadyAppended: false))
        #expect(plan.results[1].failureCode == .wrongExpectedVersion)
        #expect(try plan.results[2].get().positions == 13...13)
        #expect(plan.rowCount == 3)
        #expect(plan.head.position == 13)
        #expect(plan.head.hash != .genesis)
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
