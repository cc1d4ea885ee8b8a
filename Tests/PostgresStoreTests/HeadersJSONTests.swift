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

