import EventLog
import Foundation
import MemoryStore
@testable import RegistryDomain
import Testing

@Suite("Replay facts")
struct PersonFactTests {
    @Test("The fast decoder gives the same fact as the full decoder, for every event type", arguments: Fixtures.everyEvent)
    func fastEqualsFull(_ event: RegistryEvent) async throws {
        let store = InMemoryEventStore()
        let stream = Fixtures.stream(for: event)
        try await store.append([event.proposed(id: UUID(), effective: Fixtures.day, metadata: Fixtures.metadata)], to: stream)
        let batch = try await store.read(from: 1, filter: .all, maxCount: 1)
        try batch.withRecords { views in
            let fast = try PersonFact.decode(views[0])
            let full = try PersonFact.slowDecode(views[0])
            #expect(fast == full)
            // The event's own fast decoder alone (no fallback to the full decoder): it must read the same fact.
            if let inPlace = try PersonFact.fastDecode(views[0]) { #expect(inPlace == full) }
            #expect(RegistryEventType(fast: views[0]) == event.type)
            if stream.category == "person" { #expect(fast != nil) } else { #expect(fast == nil) }
        }
    }

    @Test("Every type name is recognised by its length and letters, and other names are not")
    func typeNames() throws {
        for type in RegistryEventType.allCases {
            var buffer: [UInt8] = []
            RecordFormat.encode(ProposedEvent(type: type.rawValue, effectiveTime: Fixtures.day, payload: []), stream: try StreamID("x-1"),
                                position: 1, streamVersion: 0, recordedTime: Fixtures.day, previousHash: .genesis, into: &buffer)
            buffer.withUnsafeBytes { #expect(RegistryEventType(fast: RecordView(body: $0)) == type) }
        }
        var buffer: [UInt8] = []
        RecordFormat.encode(ProposedEvent(type: "PersonRegisterex", effectiveTime: Fixtures.day, payload: []), stream: try StreamID("x-1"),
                            position: 1, streamVersion: 0, recordedTime: Fixtures.day, previousHash: .genesis, into: &buffer)
        buffer.withUnsafeBytes { #expect(RegistryEventType(fast: RecordView(body: $0)) == nil) }
    }

    @Test("Person keys round-trip through the stream id and give the birth date")
    func keys() throws {
        let key = try #require(PersonKey.key(Fixtures.personID.streamID))
        #expect(PersonKey.citizenID(key) == Fixtures.personID.value)
        #expect(PersonKey.birthDate(key) == 19850317)
        #expect(PersonKey.age(key, on: 20240316) == 38)
        #expect(PersonKey.age(key, on: 20240317) == 39)
        #expect(PersonKey.key(try StreamID("employer-91350100M000100Y43")) == nil)
        #expect(PersonKey.maskedCitizenID(key) == "1201**********0024")
    }
}
