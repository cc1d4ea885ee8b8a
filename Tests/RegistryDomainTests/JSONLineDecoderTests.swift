import FuzzSupport
import EventLog
import Foundation
import Testing
@testable import RegistryDomain

/// The import's fast path (``JSONLineIndex`` + ``JSONLineDecoder``) against the full path (`StrictJSON` then
/// `JSONDecoder`): whatever the fast path reads, the full path reads too, to the same line.
@Suite("JSON line fast decoder")
struct JSONLineDecoderTests {
    static func fast(_ bytes: [UInt8]) -> JSONEventLine? {
        let decoder = JSONLineDecoder()
        let direct = bytes.withUnsafeBufferPointer { decoder.eventLine(bytes: $0) }
        // The envelope read directly and the envelope read through its `Decodable` conformance agree.
        let codable = bytes.withUnsafeBufferPointer { decoder.decode(JSONEventLine.self, bytes: $0) }
        #expect(direct == codable)
        return direct
    }

    @Test("Every event type as exported, and the hand-written lines: the fast path reads them as the full path does")
    func everyEventType() async throws {
        let seeds = try await JSONLinesImporterFuzzTests.seeds()
        var taken = 0
        for bytes in seeds {
            guard let quick = Self.fast(bytes) else { continue }
            taken += 1
            let full = try JSONEventLine.parse(bytes: bytes)
            #expect(quick == full, "\(String(decoding: bytes, as: UTF8.self))")
            #expect(quick.proposed.payload == full.proposed.payload && quick.metadata == full.metadata)
        }
        // Every exported event type takes the fast path (the exporter writes no \u escapes or decimals here).
        let exported = seeds.count - JSONLinesImporterTests.mixed.filter { !$0.isEmpty }.count
        #expect(taken >= exported)
    }

    @Test("Escapes, nulls, empty objects and arrays, spaces: the same line by both paths")
    func edgeForms() throws {
        let id = "00000000-0000-4000-8000-000000000001"
        let lines = [
            #"  {"id":"\#(id)","stream":"person-120101198503170024","type":"StatusMarked","version":1,"effective":"2024-03-01","actor":"a\"b\\c\/d\n\t","headers":{},"data":{"mark":"unwilling","reasonCode":"U01"}}  "#,
            #"{ "id" : "\#(id)" , "stream":"person-120101198503170024","type":"StatusMarked","version":1,"effective":"2024-03-01","correlation":null,"actor":null,"headers":{"k":"v","k2":"值"},"data":{"mark":"unwilling","reasonCode":"U01","extra":[1,true,false,null,{},[]]}}"#,
            #"{"id":"\#(id)","stream":"person-120101198503170024","type":"PersonRegistered","version":1,"effective":"2024-03-01T08:00:00.5+08:00","position":9223372036854775807,"data":{"citizenID":"120101198503170024","name":"张\r三","hukouAddress":"𝄞天津","residenceAddress":"b","phone":null,"source":"publicSecurity"}}"#,
        ]
        for text in lines {
            let bytes = Array(text.utf8)
            let quick = try #require(Self.fast(bytes), "\(text)")
            #expect(quick == (try JSONEventLine.parse(bytes: bytes)))
        }
    }

    @Test("Forms left to the full path: it names their faults as before")
    func leftToTheFullPath() {
        let id = "00000000-0000-4000-8000-000000000001"
        let base = #"{"id":"\#(id)","stream":"person-120101198503170024","type":"StatusMarked","version":1,"effective":"2024-03-01","data":{"mark":"unwilling","reasonCode":"U01"}}"#
        let variants = [
            base.replacingOccurrences(of: #""version":1"#, with: #""version":1.0"#),  // a decimal
            base.replacingOccurrences(of: #""version":1"#, with: #""version":70000"#),  // out of the field's range
            base.replacingOccurrences(of: #""version":1"#, with: #""version":01"#),  // a leading zero
            base.replacingOccurrences(of: "U01", with: #"U\u0030"#),  // a \u escape
            base.replacingOccurrences(of: #""type""#, with: #""t\u0079pe""#),  // an escaped key
            base.replacingOccurrences(of: "}}", with: #","mark":"x"}}"#),  // a key twice
            base.replacingOccurrences(of: "}}", with: "},}"),  // a trailing comma
            base + "x",  // text after the object
            "\u{FEFF}" + base,  // a byte-order mark
        ]
        for text in variants {
            #expect(Self.fast(Array(text.utf8)) == nil, "\(text)")
        }
        // Invalid UTF-8 inside a string.
        var bytes = Array(base.utf8)
        bytes.insert(0xFF, at: bytes.firstIndex(of: UInt8(ascii: "U"))!)
        #expect(Self.fast(bytes) == nil)
        // A value of the wrong type: the fast path gives up, the full path names the field.
        let wrongType = Array(base.replacingOccurrences(of: #""version":1"#, with: #""version":"1""#).utf8)
        #expect(Self.fast(wrongType) == nil)
        #expect(throws: EventFormatError.self) { try JSONEventLine.parse(bytes: wrongType) }
    }

    @Test("Mutated lines: whenever the fast path reads one, the full path reads the same line")
    func mutatedLines() async throws {
        var random = Mutator(seed: Mutator.seed)
        let corpus = try await JSONLinesImporterFuzzTests.seeds()
        var taken = 0, fullOnly = 0
        for _ in 0..<Mutator.size(default: 20_000) {
            let base = corpus.randomElement(using: &random)!
            let bytes = random.mutate(base, other: corpus.randomElement(using: &random)!, rounds: Int.random(in: 1...3, using: &random))
            let full = try? JSONEventLine.parse(bytes: bytes)
            if let quick = Self.fast(bytes) {
                taken += 1
                #expect(quick == full, "fast path read a line the full path reads otherwise: \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            } else if full != nil {
                fullOnly += 1
            }
        }
        #expect(taken > 0)
        print("fast decoder: \(taken) mutated lines read by the fast path, \(fullOnly) good ones left to the full path, seed \(Mutator.seed)")
    }
}
