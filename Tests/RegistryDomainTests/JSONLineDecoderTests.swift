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

    @Test("Hand-written decoders: members absent, null, unknown or in another order, codes and faults, as the full path reads them")
    func handWrittenDecoders() throws {
        let id = "00000000-0000-4000-8000-000000000001"
        let task = "7D444840-9DC0-11D1-B245-5FFDCE74FAD2"
        func line(_ type: String, _ data: String, version: Int = 1) -> String {
            #"{"data":\#(data),"id":"\#(id)","stream":"person-120101198503170024","type":"\#(type)","version":\#(version),"effective":"2024-03-01","extra":{"x":[1]}}"#
        }
        let good = [
            line("PersonRegistered", #"{"source":"tax","residenceAddress":"b","hukouAddress":"a","name":"张三","citizenID":"120101198503170024"}"#),
            line("PersonRegistered", #"{"citizenID":"120101198503170024","name":"张三","ethnicity":null,"hukouType":"agricultural","hukouAddress":"a","hukouDivision":"120101","residenceAddress":"b","residenceDivision":null,"phone":"138","employmentStatus":"employed","source":"tax","other":1}"#),
            line("SourceObservationRecorded", #"{"department":"tax","finding":"employedAt","employer":"91120101MA05KT5X1J","reference":"r"}"#),
            line("SourceObservationRecorded", #"{"finding":"insuredInOtherProvince","department":"otherProvince","otherProvince":"130000","employer":null}"#),
            line("PersonEnrolled", #"{"insuranceType":"residentMedical","route":"resident","division":"120101"}"#, version: 2),
            line("PersonEnrolled", #"{"route":"employer","employer":"91120101MA05KT5X1J","insuranceType":"110","division":null}"#, version: 2),
            line("SurveyTaskDispatched", #"{"taskID":"\#(task)","division":"120101001001","reason":"unenrolledAfterComparison"}"#),
            line("SurveyTaskDispatched", #"{"assignee":"t","reason":"unenrolledAfterComparison","division":"120101001001","taskID":"\#(task.lowercased())"}"#),
            line("SurveyReviewed", #"{"taskID":"\#(task)","level":"street","decision":"reject","reviewerID":"R","reason":"why"}"#),
            line("SurveyReviewed", #"{"reason":null,"reviewerID":"R","decision":"approve","level":"district","taskID":"\#(task)"}"#),
            line("StatusMarked", #"{"reasonCode":"U01","mark":"unwilling","note":"n"}"#),
            line("StatusMarked", #"{"mark":"deceased","reasonCode":"D01","note":null}"#),
        ]
        for text in good {
            let bytes = Array(text.utf8)
            let quick = try #require(Self.fast(bytes), "\(text)")
            let full = try JSONEventLine.parse(bytes: bytes)
            #expect(quick == full, "\(text)")
            #expect(quick.proposed.payload == full.proposed.payload)
        }
        // Faults: the fast path gives up and the full path names them, as before.
        let bad = [
            line("PersonRegistered", #"{"name":"张三","hukouAddress":"a","residenceAddress":"b","source":"tax"}"#),  // citizen ID missing
            line("PersonRegistered", #"{"citizenID":"120101198503170025","name":"张三","hukouAddress":"a","residenceAddress":"b","source":"tax"}"#),  // check character
            line("PersonRegistered", #"{"citizenID":"120101198503170024","name":null,"hukouAddress":"a","residenceAddress":"b","source":"tax"}"#),  // null name
            line("PersonRegistered", #"{"citizenID":"120101198503170024","name":"a","hukouAddress":"a","residenceAddress":"b","source":"tax","hukouType":"x"}"#),  // vocabulary
            line("SourceObservationRecorded", #"{"department":"tax","finding":"employedAt","employer":"91120101MA05KT5X1K"}"#),  // credit code
            line("PersonEnrolled", #"{"insuranceType":"nothing","route":"resident"}"#, version: 2),  // insurance type
            line("PersonEnrolled", #"{"insuranceType":"residentMedical","route":"resident","division":12}"#, version: 2),  // a number for a code
            line("SurveyTaskDispatched", #"{"taskID":"not-a-uuid","division":"120101001001","reason":"unenrolledAfterComparison"}"#),  // UUID
            line("SurveyReviewed", #"{"taskID":"\#(task)","level":"street","decision":"approve"}"#),  // reviewer missing
            line("SurveyReviewed", #""x""#),  // data not an object
            line("StatusMarked", #"{"mark":"unwilling"}"#),  // reason code missing
        ]
        for text in bad {
            let bytes = Array(text.utf8)
            #expect(Self.fast(bytes) == nil, "\(text)")
            #expect(throws: EventFormatError.self, "\(text)") { try JSONEventLine.parse(bytes: bytes) }
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
