import Testing
import Foundation
import EventLog
import MemoryStore
@testable import RegistryDomain

@Suite struct RegistryEventBinaryTests {
    @Test func fixturesCoverEveryType() {
        #expect(Set(Fixtures.everyEvent.map(\.type)) == Set(RegistryEventType.allCases))
    }

    @Test(arguments: Fixtures.everyEvent)
    func binaryRoundTrip(_ event: RegistryEvent) throws {
        let bytes = event.binaryPayload()
        let back = try bytes.withUnsafeBytes { raw in try RegistryEvent.decodeCurrent(event.type, payload: raw) }
        #expect(back == event)
    }

    @Test(arguments: Fixtures.everyEvent)
    func roundTripThroughTheStoreAndRecordView(_ event: RegistryEvent) async throws {
        let store = InMemoryEventStore()
        let id = UUID()
        let proposed = event.proposed(id: id, effective: Fixtures.day, metadata: Fixtures.metadata)
        #expect(proposed.type == event.type.rawValue)
        #expect(proposed.schemaVersion == event.type.currentVersion)
        try await store.append([proposed], to: Fixtures.stream(for: event))
        let batch = try await store.read(from: 1, filter: .all, maxCount: 10)
        let decoded = try batch.withRecords { views in try views.map { try RegistryEvent.decode($0) } }
        #expect(decoded == [event])
        let recorded = try await store.readStream(Fixtures.stream(for: event))
        #expect(try RegistryEvent.decode(recorded[0]) == event)
    }

    @Test(arguments: Fixtures.everyEvent)
    func truncatedOrExtendedPayloadsAreRejected(_ event: RegistryEvent) {
        let bytes = event.binaryPayload()
        for cut in [0, bytes.count / 2, bytes.count - 1] where cut < bytes.count {
            let prefix = Array(bytes[..<cut])
            #expect(throws: EventFormatError.self) {
                try prefix.withUnsafeBytes { try RegistryEvent.decodeCurrent(event.type, payload: $0) }
            }
        }
        let longer = bytes + [0]
        #expect(throws: EventFormatError.self) { try longer.withUnsafeBytes { try RegistryEvent.decodeCurrent(event.type, payload: $0) } }
    }

    @Test func unknownTypesAndVersionsAreNamed() async throws {
        let store = InMemoryEventStore()
        let stream = StreamID.person(Fixtures.personID)
        try await store.append([ProposedEvent(type: "SomethingElse", effectiveTime: Fixtures.day, payload: [1, 2])], to: stream)
        try await store.append([ProposedEvent(type: "PersonEnrolled", schemaVersion: 9, effectiveTime: Fixtures.day, payload: [])], to: stream)
        let batch = try await store.read(from: 1, filter: .all, maxCount: 10)
        batch.withRecords { views in
            do { _ = try RegistryEvent.decode(views[0]); Issue.record("decoded") } catch let error as EventFormatError {
                #expect(error.code == .unknownType)
                #expect(error.description.contains("person-1201**********0024"))
                #expect(!error.description.contains("120101198503170024"))
            } catch { Issue.record(error) }
            do { _ = try RegistryEvent.decode(views[1]); Issue.record("decoded") } catch let error as EventFormatError {
                #expect(error.code == .unsupportedVersion)
            } catch { Issue.record(error) }
        }
    }

    @Test func compactSizes() {
        // A person's enrolment fits in a few bytes: type, route, optional employer (16), optional division (8).
        let e = RegistryEvent.personEnrolled(PersonEnrolled(insuranceType: .residentMedical, route: .resident))
        #expect(e.binaryPayload().count == 4)
        // The large, rare payloads are indirect: the enum stays small for the frequent events.
        #expect(MemoryLayout<RegistryEvent>.size <= 72)
        #expect(MemoryLayout<CitizenID>.size == 8)
        #expect(MemoryLayout<CreditCode>.size == 16)
    }

    @Test func descriptionsAreMasked() {
        for event in Fixtures.everyEvent {
            let text = event.description
            #expect(!text.contains("120101198503170024"), "\(event.type)")
            #expect(!text.contains("13812345678"))
            #expect(!text.contains("张三"))
            #expect(!text.contains("南京路123号"))
        }
    }

    @Test func randomBytesNeverCrashTheDecoder() {
        var rng = SystemRandomNumberGenerator()
        for type in RegistryEventType.allCases {
            for length in [0, 1, 2, 7, 16, 33, 64, 200] {
                for _ in 0..<50 {
                    let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
                    _ = try? bytes.withUnsafeBytes { try StoredRegistryEvent.decode(type, version: type.currentVersion, payload: $0) }
                }
            }
        }
        // A huge array count is refused before anything is allocated.
        var w = BinaryPayloadWriter()
        w.writeVarint(UInt64.max >> 1)
        let bytes = w.bytes
        #expect(throws: EventFormatError.self) { try bytes.withUnsafeBytes { try [String].decodeArray($0) } }
    }
}

extension Array where Element == String {
    static func decodeArray(_ raw: UnsafeRawBufferPointer) throws(EventFormatError) -> [String] {
        var r = BinaryPayloadReader(raw)
        return try r.read([String].self)
    }
}
