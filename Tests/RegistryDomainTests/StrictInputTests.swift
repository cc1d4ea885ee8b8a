import Testing
import Foundation
import EventLog
import MemoryStore
@testable import RegistryDomain

/// Malformed and ambiguous lines, each with the rejection code it must get and the field its reason must name:
/// one meaning for every accepted line, and a reason that says what is wrong without quoting the line.
@Suite struct StrictInputTests {
    /// One case: a line (as bytes, so invalid UTF-8 can be written), its code and the field named.
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var code: String
        var field: String
        var description: String { name }
    }

    static let personal = ["张三", "13812345678", "天津市和平区南京路123号", "120101198503170024", "11010519491231002"]

    static let personData = #"{"citizenID":"120101198503170024","name":"张三","hukouAddress":"天津市和平区南京路123号","residenceAddress":"天津市和平区南营门街道1号","phone":"13812345678","source":"publicSecurity"}"#

    static func envelope(
        stream: String = "person-120101198503170024", type: String = "PersonRegistered", version: String = "1",
        effective: String = #""2024-03-01T08:00:00Z""#, extra: String = #","actor":"import:test""#, data: String = personData,
        id: String = "00000000-0000-4000-8000-000000000001"
    ) -> String {
        #"{"id":"\#(id)","stream":"\#(stream)","type":"\#(type)","version":\#(version),"effective":\#(effective)\#(extra),"data":\#(data)}"#
    }

    static let screening = #"{"campaign":"2024 dispatch check","staffCount":10,"unenrolledStaff":3}"#
    static func employer(_ data: String, extra: String = "") -> String {
        envelope(stream: "employer-91350100M000100Y43", type: "EmployerScreened", extra: extra, data: data)
    }

    static func c(_ name: String, _ text: String, _ code: String, _ field: String) -> Case {
        Case(name: name, bytes: Array(text.utf8), code: code, field: field)
    }

    /// `text` with `«XX»` replaced by the byte 0xXX.
    static func raw(_ name: String, _ text: String, _ code: String, _ field: String) -> Case {
        var bytes: [UInt8] = []
        var rest = Substring(text)
        while let open = rest.range(of: "«") {
            bytes += Array(rest[..<open.lowerBound].utf8)
            let close = rest.range(of: "»", range: open.upperBound..<rest.endIndex)!
            bytes.append(UInt8(rest[open.upperBound..<close.lowerBound], radix: 16)!)
            rest = rest[close.upperBound...]
        }
        bytes += Array(rest.utf8)
        return Case(name: name, bytes: bytes, code: code, field: field)
    }

    static let base = envelope()
    static func replacing(_ a: String, _ b: String, in text: String = base) -> String {
        precondition(text.contains(a), a)
        return text.replacingOccurrences(of: a, with: b)
    }

    static let cases: [Case] = [
        // Duplicate keys, anywhere.
        c("duplicate id", replacing(#"{"id":"#, #"{"id":"00000000-0000-4000-8000-000000000002","id":"#), "duplicate-key", "id"),
        c("duplicate stream", replacing(#""type":"#, #""stream":"person-110105194912310023","type":"#), "duplicate-key", "stream"),
        c("duplicate data key", replacing(#""name":"张三""#, #""name":"张三","name":"李四""#), "duplicate-key", "data.name"),
        c("duplicate key by escape", replacing(#""name":"张三""#, #""name":"张三","n\u0061me":"李四""#), "duplicate-key", "data.name"),
        c("duplicate header", envelope(extra: #","headers":{"device":"A1","device":"B2"}"#), "duplicate-key", "headers.?"),
        c("duplicate among many keys", envelope(extra: #","headers":{"# + (0..<20).map { #""h\#($0)":"v""# }.joined(separator: ",") + #","h3":"w"}"#), "duplicate-key", "headers.?"),
        c("duplicate non-ASCII key by escape", envelope(extra: #","headers":{"张":"a","\u5f20":"b"}"#), "duplicate-key", "headers.?"),
        c("duplicate key, composed and decomposed", envelope(extra: #","headers":{"é":"a","e\u0301":"b"}"#), "duplicate-key", "headers.?"),
        c("duplicate data object", replacing(#","data":"#, #","data":{},"data":"#), "duplicate-key", "data"),
        // Not UTF-8.
        raw("invalid byte", replacing("张三", "张«FF»"), "invalid-utf8", "data.name"),
        raw("overlong slash", replacing("张三", "«C0»«AF»"), "invalid-utf8", "data.name"),
        raw("encoded surrogate", replacing("张三", "«ED»«A0»«80»"), "invalid-utf8", "data.name"),
        raw("truncated sequence", replacing("张三", "张«E5»«BC»"), "invalid-utf8", "data.name"),
        raw("beyond U+10FFFF", replacing("张三", "«F5»«80»«80»«80»"), "invalid-utf8", "data.name"),
        raw("stray continuation", replacing("publicSecurity", "public«80»"), "invalid-utf8", "data.source"),
        raw("invalid byte in a key", replacing(#""name""#, #""na«FE»me""#), "invalid-utf8", "data"),
        raw("invalid byte between tokens", replacing(#","data":"#, #",«FF»"data":"#), "invalid-utf8", "the line"),
        raw("invalid byte as a value", replacing(#""张三""#, "«C3»"), "invalid-utf8", "data.name"),
        raw("five-byte form", replacing("张三", "«F8»«88»«80»«80»«80»"), "invalid-utf8", "data.name"),
        // Lone surrogates.
        c("lone high surrogate", replacing("张三", #"\uD800"#), "lone-surrogate", "data.name"),
        c("lone low surrogate", replacing("张三", #"\uDC00"#), "lone-surrogate", "data.name"),
        c("high then not low", replacing("张三", #"\uD800\u0041"#), "lone-surrogate", "data.name"),
        // Outside RFC 8259.
        c("trailing comma in object", replacing(#""publicSecurity"}"#, #""publicSecurity",}"#), "malformed-json", "data"),
        c("trailing comma in envelope", replacing(#""publicSecurity"}}"#, #""publicSecurity"},}"#), "malformed-json", "the line"),
        c("trailing comma in array", envelope(type: "PersonDataCorrected", data: #"{"corrections":[{"field":"phone","value":"139"},],"basis":"sourceData"}"#), "malformed-json", "data.corrections"),
        c("comment", replacing(#","data":"#, #",/* note */"data":"#), "malformed-json", "the line"),
        c("NaN", envelope(version: "NaN"), "malformed-json", "version"),
        c("Infinity", envelope(version: "Infinity"), "malformed-json", "version"),
        c("leading zero", envelope(version: "01"), "malformed-json", "version"),
        c("leading plus", envelope(version: "+1"), "malformed-json", "version"),
        c("bare fraction", envelope(version: ".5"), "malformed-json", "version"),
        c("single quotes", replacing(#""张三""#, "'张三'"), "malformed-json", "data.name"),
        c("unescaped tab", replacing("张三", "张\t三"), "malformed-json", "data.name"),
        c("unknown escape", replacing("张三", #"张\x三"#), "malformed-json", "data.name"),
        c("text after the object", base + " {}", "malformed-json", "the line"),
        c("two objects", base + base, "malformed-json", "the line"),
        c("not an object", "[" + base + "]", "malformed-json", "the line"),
        raw("byte-order mark", "«EF»«BB»«BF»" + base, "malformed-json", "the line"),
        c("too deep", envelope(extra: #","headers":{"a":"# + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}"), "malformed-json", "headers.?"),
        c("unterminated", String(base.dropLast(2)), "malformed-json", "data"),
        // Numbers out of their field's range, or of any range.
        c("huge number", envelope(version: "1e400"), "invalid-field", "version"),
        c("version beyond UInt16", envelope(version: "70000"), "invalid-field", "version"),
        c("fractional version", envelope(version: "1.5"), "invalid-field", "version"),
        c("negative staff", employer(#"{"campaign":"c","staffCount":-1,"unenrolledStaff":0}"#), "invalid-field", "data.staffCount"),
        c("staff beyond UInt32", employer(#"{"campaign":"c","staffCount":5000000000,"unenrolledStaff":0}"#), "invalid-field", "data.staffCount"),
        c("more unenrolled than staff", employer(#"{"campaign":"c","staffCount":3,"unenrolledStaff":4}"#), "inconsistent-data", "data.unenrolledStaff"),
        // Wrong types and values outside a vocabulary (personal values typed into them are never echoed).
        c("address in hukouType", replacing(#""source":"#, #""hukouType":"天津市和平区南京路123号","source":"#), "invalid-field", "data.hukouType"),
        c("phone in employmentStatus", replacing(#""source":"#, #""employmentStatus":"13812345678","source":"#), "invalid-field", "data.employmentStatus"),
        c("name in source", replacing("publicSecurity", "张三"), "invalid-field", "data.source"),
        c("number for a string", replacing(#""张三""#, "5"), "invalid-field", "data.name"),
        c("null for a string", replacing(#""张三""#, "null"), "invalid-field", "data.name"),
        c("string for data", envelope(data: #""张三""#), "invalid-field", "data"),
        c("number in a header", envelope(extra: #","headers":{"device":7}"#), "invalid-field", "headers.?"),
        c("id not a UUID", envelope(id: "13812345678"), "invalid-field", "id"),
        c("missing name", replacing(#""name":"张三","#, ""), "missing-field", "data.name"),
        c("missing effective", replacing(#""effective":"2024-03-01T08:00:00Z","#, ""), "missing-field", "effective"),
        // Identifiers.
        c("check character", replacing(#""citizenID":"120101198503170024""#, #""citizenID":"120101198503170025""#), "invalid-citizen-id", "data.citizenID"),
        c("ID length", replacing(#""citizenID":"120101198503170024""#, #""citizenID":"1201011985031700""#), "invalid-citizen-id", "data.citizenID"),
        c("legacy ID date", replacing(#""citizenID":"120101198503170024""#, #""citizenID":"120101851317002""#), "invalid-citizen-id", "characters 7-12"),
        c("future birth", replacing(#""citizenID":"120101198503170024""#, #""citizenID":"120101209901010011""#), "invalid-citizen-id", "data.citizenID"),
        c("credit code", envelope(type: "PersonEnrolled", version: "2", data: #"{"insuranceType":"employeePension","route":"employer","employer":"91350100M000100Y44"}"#), "invalid-credit-code", "data.employer"),
        c("division code", replacing(#""source":"#, #""residenceDivision":"1201","source":"#), "invalid-division-code", "data.residenceDivision"),
        c("insurance type", envelope(type: "PersonEnrolled", version: "2", data: #"{"insuranceType":"13812345678","route":"resident"}"#), "invalid-insurance-type", "data.insuranceType"),
        // Streams.
        c("lower-case x", envelope(stream: "person-11010519491231002x", data: replacing("120101198503170024", "11010519491231002X", in: personData)), "non-canonical-stream", "stream"),
        c("legacy ID stream", envelope(stream: "person-120101850317002"), "non-canonical-stream", "stream"),
        c("stream without dash", envelope(stream: "person120101198503170024"), "invalid-stream", "stream"),
        c("stream with invalid ID", envelope(stream: "person-120101198503170025"), "invalid-stream", "stream"),
        c("unknown category", envelope(stream: "citizen-120101198503170024"), "invalid-stream", "stream"),
        c("control character in stream", envelope(stream: #"person-1201\u0001"#), "invalid-stream", "stream"),
        c("stream too long", envelope(stream: "person-" + String(repeating: "1", count: 600)), "invalid-stream", "stream"),
        c("wrong category", envelope(stream: "employer-91350100M000100Y43"), "wrong-stream", "stream"),
        // Times.
        c("offset +99:99", envelope(effective: #""2024-03-01T08:00:00+99:99""#), "invalid-field", "effective"),
        c("offset +24:00", envelope(effective: #""2024-03-01T08:00:00+24:00""#), "invalid-field", "effective"),
        c("offset +15:00", envelope(effective: #""2024-03-01T08:00:00+15:00""#), "invalid-field", "effective"),
        c("offset +08:60", envelope(effective: #""2024-03-01T08:00:00+08:60""#), "invalid-field", "effective"),
        c("offset without colon", envelope(effective: #""2024-03-01T08:00:00+0800""#), "invalid-field", "effective"),
        c("leap second", envelope(effective: #""2024-03-01T23:59:60Z""#), "invalid-field", "effective"),
        c("seven fraction digits", envelope(effective: #""2024-03-01T08:00:00.1234567Z""#), "invalid-field", "effective"),
        c("trailing text", envelope(effective: #""2024-03-01T08:00:00Z x""#), "invalid-field", "effective"),
        c("lower-case z", envelope(effective: #""2024-03-01T08:00:00z""#), "invalid-field", "effective"),
        c("no seconds", envelope(effective: #""2024-03-01T08:00Z""#), "invalid-field", "effective"),
        c("no offset", envelope(effective: #""2024-03-01T08:00:00""#), "invalid-field", "effective"),
        c("impossible date", envelope(effective: #""2023-02-29""#), "invalid-field", "effective"),
        c("hour 24", envelope(effective: #""2024-03-01T24:00:00Z""#), "invalid-field", "effective"),
        c("before year 1", envelope(effective: #""0001-01-01T00:00:00+08:00""#), "invalid-field", "effective"),
        c("effective a number", envelope(effective: "20240301"), "invalid-field", "effective"),
        // Type and version.
        c("unknown type", envelope(type: "张三"), "unknown-type", "type"),
        c("unknown version", envelope(version: "9"), "unsupported-version", "version"),
        // Limits the store enforces, checked when the line is parsed.
        c("actor too long", envelope(extra: #","actor":""# + String(repeating: "a", count: 256) + #"""#), "exceeds-store-limit", "actor"),
        c("header too long", envelope(extra: #","headers":{"device":""# + String(repeating: "a", count: 65_536) + #""}"#), "exceeds-store-limit", "headers"),
        c("too many headers", envelope(extra: #","headers":{"# + (0...1024).map { #""h\#($0)":"v""# }.joined(separator: ",") + "}"), "exceeds-store-limit", "headers"),
        c("empty header key", envelope(extra: #","headers":{"":"v"}"#), "exceeds-store-limit", "headers"),
    ]

    @Test(arguments: cases)
    func rejectedWithItsCodeAndField(_ test: Case) async throws {
        let store = InMemoryEventStore()
        let report = try await JSONLinesImporter(store: store, checkRules: false).importLines([test.bytes])
        let line = try #require(report.lines.first)
        guard case .rejected(let code, let reason) = line.outcome else {
            Issue.record("accepted: \(test.name)")
            return
        }
        #expect(code == test.code, "\(test.name): \(reason)")
        #expect(reason.contains(test.field), "\(test.name): the reason does not name \(test.field): \(reason)")
        #expect(!reason.contains("张") && !reason.contains("天津"), "\(test.name): \(reason)")
        for value in Self.personal { #expect(!reason.contains(value), "\(test.name): \(reason)") }
        #expect(reason.utf8.count < 400, "\(test.name): a reason of \(reason.utf8.count) bytes")
        #expect(try await store.headPosition() == 0)
    }

    /// Every code a case produced is in the catalogue's list.
    @Test func everyCodeProducedIsCatalogued() {
        let known = Set(RejectionCatalogue.codes)
        for test in Self.cases { #expect(known.contains(test.code), "\(test.code)") }
    }

    /// A payload the store would refuse (over 16 MiB) is rejected when parsed.
    @Test func payloadOverTheStoreLimit() async throws {
        let note = String(repeating: "a", count: ProposedEvent.maximumPayloadSize + 1)
        let text = Self.employer(#"{"campaign":"c","staffCount":1,"unenrolledStaff":0,"note":"\#(note)"}"#)
        let report = try await JSONLinesImporter(store: InMemoryEventStore(), checkRules: false).importLines([text])
        guard case .rejected(let code, let reason)? = report.lines.first?.outcome else { Issue.record("accepted"); return }
        #expect(code == "exceeds-store-limit")
        #expect(reason.contains("data"))
    }

    /// A line over a store limit takes no later line of its stream with it: it is rejected when parsed, never
    /// sent, so the next lines are judged and appended as if it were not there.
    @Test func aLineOverALimitIsNotAnEarlierRejection() async throws {
        let store = InMemoryEventStore()
        let enrol = { (n: Int, extra: String) in
            Self.envelope(type: "PersonEnrolled", version: "2", extra: extra,
                          data: #"{"insuranceType":"residentMedical","route":"resident"}"#,
                          id: "00000000-0000-4000-8000-00000000000\(n)")
        }
        let lines = [Self.base, enrol(2, #","actor":""# + String(repeating: "a", count: 300) + #"""#), enrol(3, "")]
        let report = try await JSONLinesImporter(store: store, batchSize: 10).importLines(lines)
        let outcomes = report.lines.map(\.outcome)
        #expect(outcomes.count == 3)
        if case .rejected(let code, _) = outcomes[1] { #expect(code == "exceeds-store-limit") } else { Issue.record("line 2 accepted") }
        if case .accepted = outcomes[2] {} else { Issue.record("line 3: \(outcomes[2])") }
        #expect(report.acceptedCount == 2)
    }

    /// Lines that must still be accepted: the strict reader refuses nothing RFC 8259 allows.
    @Test func validVariantsAreAccepted() async throws {
        let good: [String] = [
            Self.base,
            "  \t" + Self.base + " \r",
            Self.replacing("张三", #"\u5f20\u4e09"#),
            Self.replacing("张三", #"\ud83d\ude00"#),
            Self.replacing(#""张三""#, #""张\"三\\\/""#),
            Self.envelope(effective: #""2024-03-01T16:00:00.123456+08:00""#),
            Self.envelope(effective: #""2024-03-01T08:00:00-00:00""#),
            Self.envelope(effective: #""2024-03-01T08:00:00+14:00""#),
            Self.envelope(effective: #""2024-03-01T08:00:00-12:00""#),
            Self.employer(#"{"campaign":"c","staffCount":3,"unenrolledStaff":3}"#),
            Self.envelope(extra: #","headers":{"device":"A1","feed-line":"7"},"unknownKey":[1,2.5e3,true,null,{}]"#),
        ]
        for (n, text) in good.enumerated() {
            let line: JSONEventLine
            do { line = try JSONEventLine.parse(text) } catch {
                Issue.record("line \(n) rejected: \(error)")
                continue
            }
            #expect(throws: Never.self) { try line.checkStream() }
        }
        let fraction = try JSONEventLine.parse(Self.envelope(effective: #""2024-03-01T16:00:00.123456+08:00""#))
        #expect(fraction.effective == Timestamp(microsecondsSinceEpoch: 1_709_280_000_123_456))
    }

    /// Every key and every number the exporter writes is one the error messages can name: keys are in
    /// ``JSONFieldPath/knownKeys``, numbers at a path of ``JSONFieldPath/integerFields``.
    @Test(arguments: Fixtures.everyEvent)
    func exportedKeysAreKnown(_ event: RegistryEvent) throws {
        let line = JSONEventLine(
            id: UUID(), stream: Fixtures.stream(for: event), event: .current(event), effective: Fixtures.day,
            recorded: Fixtures.day, position: 42, metadata: EventMetadata(correlationID: UUID(), causationID: UUID(), actor: "a"))
        let shape = try StrictJSON.read(Array(try line.jsonText().utf8))
        func keys(_ s: StrictJSON.Shape) -> [String] {
            switch s {
            case .object(let members): members.flatMap { [$0.key] + keys($0.value) }
            case .array(let items): items.flatMap(keys)
            default: []
            }
        }
        for key in keys(shape) { #expect(JSONFieldPath.knownKeys.contains(key), "\(key) is not a known key") }
        for number in shape.numbers() {
            let path = JSONFieldPath.text(number.path)
            #expect(JSONFieldPath.integerFields[path] != nil || JSONFieldPath.decimalFields.contains(path), "\(path)")
        }
    }

    /// With rules on, a line of a stream holding an event this build cannot read is `unreadable-stream`, not a
    /// rule violation.
    @Test func aStreamWithAnUnreadableEvent() async throws {
        let store = InMemoryEventStore()
        let newer = ProposedEvent(type: "PersonRegistered", schemaVersion: 99, effectiveTime: Fixtures.day, payload: [1, 2, 3])
        _ = try await store.append([newer], to: try StreamID("person-120101198503170024"))
        let report = try await JSONLinesImporter(store: store).importLines([Self.base])
        guard case .rejected(let code, _)? = report.lines.first?.outcome else { Issue.record("accepted"); return }
        #expect(code == "unreadable-stream")
    }

    /// The fast check and the shape-building read agree on every line (the same error, or both accept), over the
    /// table and over lines mutated at random (a fixed seed); whatever the strict reader accepts, Foundation's
    /// lenient parser accepts too.
    @Test func checkAndReadAgree() {
        var lines = Self.cases.map(\.bytes)
        var rng = SplitMix(seed: 11)
        let base = Array(Self.base.utf8)
        let alphabet = Array(#"{}[],:"\/ -+.0123456789eEtrufalsn\u"#.utf8) + [0x00, 0x09, 0x80, 0xC3, 0xE5, 0xED, 0xF0, 0xFF]
        for _ in 0..<3000 {
            var b = base
            for _ in 0..<Int(rng.next() % 3 + 1) {
                let at = Int(rng.next() % UInt64(b.count))
                switch rng.next() % 3 {
                case 0: b.remove(at: at)
                case 1: b.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                default: b[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                }
            }
            lines.append(b)
        }
        var accepted = 0
        for bytes in lines {
            var fast: EventFormatError?
            var full: EventFormatError?
            do { try StrictJSON.check(bytes) } catch { fast = error }
            do { _ = try StrictJSON.read(bytes) } catch { full = error }
            #expect(fast == full, "\(String(decoding: bytes, as: UTF8.self))")
            if fast == nil {
                accepted += 1
                #expect((try? JSONSerialization.jsonObject(with: Data(bytes))) != nil, "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(accepted > 100)
    }

    /// A small deterministic generator.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
