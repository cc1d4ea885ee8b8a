import EventLog
import Foundation
import Testing

@Suite("Canonical record format")
struct RecordFormatTests {
    static let event = ProposedEvent(
        id: UUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF")!, type: "PersonEnrolled", schemaVersion: 3,
        effectiveTime: Timestamp(microsecondsSinceEpoch: 1_709_280_000_000_000), payload: [1, 2, 3, 250],
        metadata: EventMetadata(correlationID: UUID(), causationID: UUID(), actor: "surveyor:S-0412",
                                headers: ["device": "PAD-17", "feed-line": "42"]))

    @Test("Encoding then viewing gives back every field")
    func roundTrip() throws {
        var buffer: [UInt8] = [9, 9]  // a body need not start at 0
        let stream = try StreamID("person-120101198503170024")
        let hash = RecordFormat.encode(Self.event, stream: stream, position: 77, streamVersion: 4,
                                       recordedTime: Timestamp(microsecondsSinceEpoch: 5), previousHash: .genesis, into: &buffer)
        let recorded = buffer[2...].withUnsafeBytes { raw -> RecordedEvent in
            #expect(RecordFormat.isWellFormed(body: raw))
            let view = RecordView(body: raw)
            #expect(view.typeIs("PersonEnrolled"))
            #expect(!view.typeIs("PersonEnrolle"))
            return view.materialize()
        }
        #expect(recorded.position == 77)
        #expect(recorded.streamVersion == 4)
        #expect(recorded.stream == stream)
        #expect(recorded.recordedTime.microsecondsSinceEpoch == 5)
        #expect(recorded.hash == hash)
        #expect(recorded.hasSameContent(as: Self.event))
        #expect(recorded.canonicalBody(previousHash: .genesis).body == Array(buffer[2...]))
    }

    @Test("The hash chains: a change of content or of the previous hash changes it")
    func hashChain() throws {
        let stream = try StreamID("s-1")
        var a: [UInt8] = [], b: [UInt8] = [], c: [UInt8] = []
        let h1 = RecordFormat.encode(Self.event, stream: stream, position: 1, streamVersion: 0, recordedTime: .init(microsecondsSinceEpoch: 0), previousHash: .genesis, into: &a)
        var other = Self.event
        other.payload = [1, 2, 3, 251]
        let h2 = RecordFormat.encode(other, stream: stream, position: 1, streamVersion: 0, recordedTime: .init(microsecondsSinceEpoch: 0), previousHash: .genesis, into: &b)
        let h3 = RecordFormat.encode(Self.event, stream: stream, position: 1, streamVersion: 0, recordedTime: .init(microsecondsSinceEpoch: 0), previousHash: h1, into: &c)
        #expect(h1 != h2)
        #expect(h1 != h3)
        #expect(h1.description.count == 64)
    }

    @Test("A body whose declared lengths do not add up is not well-formed")
    func malformed() throws {
        var buffer: [UInt8] = []
        RecordFormat.encode(Self.event, stream: try StreamID("s-1"), position: 1, streamVersion: 0, recordedTime: .init(microsecondsSinceEpoch: 0), previousHash: .genesis, into: &buffer)
        buffer.append(0)
        #expect(!buffer.withUnsafeBytes { RecordFormat.isWellFormed(body: $0) })
        #expect(![UInt8](repeating: 0, count: 50).withUnsafeBytes { RecordFormat.isWellFormed(body: $0) })
    }
}

@Suite("Stream ids and masking")
struct StreamIDTests {
    @Test("Category is the part before the first dash")
    func category() throws {
        #expect(try StreamID("person-120101198503170024").category == "person")
        #expect(try StreamID("survey-task-9").category == "survey")
        #expect(try StreamID("audit").category == "audit")
    }

    @Test("Ids are masked wherever they are shown")
    func masking() throws {
        let id = try StreamID("person-120101198503170024")
        #expect(id.masked == "person-1201**********0024")
        #expect("\(id)" == "person-1201**********0024")
        let error = EventLogError(.wrongExpectedVersion, "conflict", stream: id)
        #expect(!error.description.contains("120101198503170024"))
        // Short values show nothing, and no masked form tells the value's length.
        #expect(Masking.mask("张三") == "**********")
        #expect(Masking.mask("12345678901234") == "**********")
        #expect(Masking.mask(String(repeating: "1", count: 1000)) == "1111**********1111")
        // A stream without its dash, or with digits before it, is masked whole.
        #expect(try StreamID("person120101198503170024").masked == "pers**********0024")
        #expect(try StreamID("120101198503170024-x").masked == "**********")
        #expect(try StreamID("310104198801016513-欧阳明月").masked == "**********")
        #expect(try StreamID("person-上海市浦东新区世纪大道100号").masked == "person-**********")
        #expect(Masking.scrubbed("id 120101198503170024 and 13812345678 at 42") == "id 1201**********0024 and ********** at 42")
    }

    @Test("Malformed ids are refused with a typed error")
    func invalid() {
        #expect(throws: EventLogError.self) { try StreamID("") }
        #expect(throws: EventLogError.self) { try StreamID(String(repeating: "a", count: 513)) }
        #expect(throws: EventLogError.self) { try StreamID("a\u{0}b") }
        #expect(throws: EventLogError.self) { try StreamID(category: "a-b", id: "1") }
    }
}

@Suite("Timestamps")
struct TimestampTests {
    @Test("ISO 8601 both ways")
    func iso() throws {
        let t = try #require(Timestamp(iso8601: "2024-03-01T08:00:00Z"))
        #expect(t.microsecondsSinceEpoch == 1_709_280_000_000_000)
        #expect(t.description == "2024-03-01T08:00:00.000000Z")
        // A date alone is a civil day, not an instant: the registry reads it in China Standard Time.
        #expect(Timestamp(iso8601: "2024-03-01") == nil)
        #expect(Timestamp(iso8601: "not a date") == nil)
        #expect(Timestamp(microsecondsSinceEpoch: -1).description == "1969-12-31T23:59:59.999999Z")
    }
}
