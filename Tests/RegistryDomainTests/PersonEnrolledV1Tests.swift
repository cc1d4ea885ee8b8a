import Testing
import Foundation
import EventLog
import MemoryStore
@testable import RegistryDomain

@Suite struct PersonEnrolledV1Tests {
    @Test func upcastDerivesTheRoute() {
        let withEmployer = PersonEnrolledV1(insuranceType: .employeePension, employer: Fixtures.employer).upcast()
        #expect(withEmployer == PersonEnrolled(insuranceType: .employeePension, route: .employer, employer: Fixtures.employer))
        #expect(PersonEnrolledV1(insuranceType: .residentMedical).upcast().route == .resident)
        #expect(PersonEnrolledV1(insuranceType: .employeePension).upcast().route == .flexibleEmployment)
    }

    @Test func oldRecordsAreUpcastWhenRead() async throws {
        let store = InMemoryEventStore()
        let v1 = PersonEnrolledV1(insuranceType: .employeeMedical, employer: Fixtures.employer)
        let old = StoredRegistryEvent.personEnrolledV1(v1).proposed(id: UUID(), effective: Fixtures.day, metadata: .none)
        #expect(old.schemaVersion == 1)
        #expect(old.type == "PersonEnrolled")
        try await store.append([old], to: .person(Fixtures.personID))
        let batch = try await store.read(from: 1, filter: .all, maxCount: 10)
        let event = try batch.withRecords { try RegistryEvent.decode($0[0]) }
        #expect(event == .personEnrolled(v1.upcast()))
        // Without upcasting, the stored form is kept.
        let stored = try batch.withRecords { try StoredRegistryEvent.decode($0[0]) }
        #expect(stored == .personEnrolledV1(v1))
        #expect(stored.binaryPayload() == old.payload)
        // The state folds the upcast event.
        let state = try PersonState.fold(try await store.readStream(.person(Fixtures.personID)))
        #expect(state[.employeeMedical].status == .enrolled)
        #expect(state[.employeeMedical].route == .employer)
    }

    @Test func v1JSONRoundTrip() throws {
        let line = JSONEventLine(
            id: UUID(), stream: .person(Fixtures.personID),
            event: .personEnrolledV1(PersonEnrolledV1(insuranceType: .maternity)), effective: Fixtures.day)
        let text = try line.jsonText()
        #expect(text.contains("\"version\":1"))
        #expect(try JSONEventLine.parse(text) == line)
    }
}
