import FuzzSupport
import Testing
import Foundation
import Synchronization
import EventLog
import MemoryStore
@testable import RegistryDomain

/// A store that lets another writer slip an event into the stream before the first `conflicts` appends.
final class InterleavingStore: ForwardingEventStore {
    let inner = InMemoryEventStore()
    let remaining: Mutex<Int>
    let intruder: @Sendable (StreamID) -> ProposedEvent
    let appendCalls = Mutex(0)

    init(conflicts: Int, intruder: @escaping @Sendable (StreamID) -> ProposedEvent) {
        remaining = Mutex(conflicts)
        self.intruder = intruder
    }

    func append(_ requests: [StreamAppend]) async throws -> [Result<AppendResult, EventLogError>] {
        appendCalls.withLock { $0 += 1 }
        let interfere = remaining.withLock { r in
            defer { r = max(0, r - 1) }
            return r > 0
        }
        if interfere, let first = requests.first {
            _ = try await inner.append([StreamAppend(stream: first.stream, expected: .any, events: [intruder(first.stream)])])
        }
        return try await inner.append(requests)
    }
}

@Suite struct CommandHandlerTests {
    let t = Fixtures.day
    let meta = EventMetadata(actor: "agency:120101")
    let person = Fixtures.personID

    @Test func recordsAllowedEventsWithExpectedVersions() async throws {
        let store = InMemoryEventStore()
        let handler = CommandHandler(store: store)
        let r0 = try await handler.register(Fixtures.registered, effective: t, metadata: meta)
        #expect(r0.streamVersion == 0)
        let r1 = try await handler.record(.personEnrolled(PersonEnrolled(insuranceType: .employeePension, route: .employer, employer: Fixtures.employer)), for: person, effective: t, metadata: meta)
        #expect(r1.streamVersion == 1)
        let state = try await handler.personState(person)
        #expect(state.version == 1)
        #expect(state[.employeePension].employer == Fixtures.employer)
        let events = try await store.readStream(.person(person))
        #expect(events.map(\.type) == ["PersonRegistered", "PersonEnrolled"])
        #expect(events[1].metadata.actor == "agency:120101")
    }

    @Test func aRejectedCommandAppendsNothing() async throws {
        let store = InMemoryEventStore()
        let handler = CommandHandler(store: store)
        await #expect(throws: RuleViolation.self) {
            try await handler.record(.contributionInterrupted(ContributionInterrupted(insuranceType: .maternity)), for: person, effective: t, metadata: meta)
        }
        #expect(try await store.headPosition() == 0)
        try await handler.register(Fixtures.registered, effective: t, metadata: meta)
        do {
            try await handler.record(.contributionResumed(ContributionResumed(insuranceType: .maternity, route: .resident)), for: person, effective: t, metadata: meta)
            Issue.record("accepted")
        } catch let v as RuleViolation {
            #expect(v.rule == .notInterrupted)
            #expect(v.description.contains("person-1201**********0024"))
            #expect(!v.description.contains("120101198503170024"))
        }
        await #expect(throws: RuleViolation.self) { try await handler.register(Fixtures.registered, effective: t, metadata: meta) }
        #expect(try await store.headPosition() == 1)
    }

    @Test func registrationMustMatchTheStream() async throws {
        let handler = CommandHandler(store: InMemoryEventStore())
        await #expect(throws: RuleViolation.self) {
            try await handler.record(.personRegistered(Fixtures.registered), for: Fixtures.otherPersonID, effective: t, metadata: meta)
        }
    }

    @Test func aRaceOnRegistrationIsDecidedOnFreshState() async throws {
        // Another writer creates the stream between our read and our append.
        let store = InterleavingStore(conflicts: 1) { _ in
            RegistryEvent.personRegistered(Fixtures.registered).proposed(effective: Fixtures.day, metadata: .none)
        }
        let handler = CommandHandler(store: store)
        // Registration: the intruder registers the person first, so `.noStream` fails and the retry, deciding on
        // the fresh stream, refuses a second registration.
        await #expect(throws: RuleViolation.self) { try await handler.register(Fixtures.registered, effective: t, metadata: meta) }
        #expect(store.appendCalls.withLock { $0 } == 1)
    }

    @Test func conflictThenSuccess() async throws {
        let store = InterleavingStore(conflicts: 0) { _ in
            RegistryEvent.sourceObservationRecorded(SourceObservationRecorded(department: .tax, finding: .taxFiler))
                .proposed(effective: Fixtures.day, metadata: .none)
        }
        let handler = CommandHandler(store: store)
        try await handler.register(Fixtures.registered, effective: t, metadata: meta)
        store.remaining.withLock { $0 = 2 }
        let r = try await handler.record(.personEnrolled(PersonEnrolled(insuranceType: .residentMedical, route: .resident)), for: person, effective: t, metadata: meta)
        // Two intruding events, then ours.
        #expect(r.streamVersion == 3)
        #expect(store.appendCalls.withLock { $0 } == 4)
        let types = try await store.readStream(.person(person)).map(\.type)
        #expect(types == ["PersonRegistered", "SourceObservationRecorded", "SourceObservationRecorded", "PersonEnrolled"])
    }

    @Test func aConflictCanTurnIntoARuleViolation() async throws {
        // The intruder enrols the person first: on retry the fresh state refuses a second enrolment.
        let store = InterleavingStore(conflicts: 0) { _ in
            RegistryEvent.personEnrolled(PersonEnrolled(insuranceType: .residentMedical, route: .resident))
                .proposed(effective: Fixtures.day, metadata: .none)
        }
        let handler = CommandHandler(store: store)
        try await handler.register(Fixtures.registered, effective: t, metadata: meta)
        store.remaining.withLock { $0 = 1 }
        do {
            try await handler.record(.personEnrolled(PersonEnrolled(insuranceType: .residentMedical, route: .resident)), for: person, effective: t, metadata: meta)
            Issue.record("accepted")
        } catch let v as RuleViolation {
            #expect(v.rule == .alreadyEnrolled)
        }
        #expect(try await store.readStream(.person(person)).count == 2)
    }

    @Test func persistentConflictsAreReported() async throws {
        let store = InterleavingStore(conflicts: 0) { _ in
            RegistryEvent.sourceObservationRecorded(SourceObservationRecorded(department: .tax, finding: .taxFiler))
                .proposed(effective: Fixtures.day, metadata: .none)
        }
        var handler = CommandHandler(store: store)
        handler.maxAttempts = 3
        try await handler.register(Fixtures.registered, effective: t, metadata: meta)
        store.remaining.withLock { $0 = 100 }
        do {
            try await handler.record(.statusMarked(StatusMarked(mark: .studying, reasonCode: "S01")), for: person, effective: t, metadata: meta)
            Issue.record("accepted")
        } catch let e as EventLogError {
            #expect(e.code == .wrongExpectedVersion)
        }
    }

    @Test func commandsAreIdempotentByEventID() async throws {
        let store = InMemoryEventStore()
        let handler = CommandHandler(store: store)
        try await handler.register(Fixtures.registered, effective: t, metadata: meta)
        let id = UUID()
        let enrol = RegistryEvent.personEnrolled(PersonEnrolled(insuranceType: .maternity, route: .employer, employer: Fixtures.employer))
        let first = try await handler.record(enrol, for: person, id: id, effective: t, metadata: meta)
        let again = try await handler.record(enrol, for: person, id: id, effective: t, metadata: meta)
        #expect(!first.wasAlreadyAppended)
        #expect(again.wasAlreadyAppended)
        #expect(again.streamVersion == first.streamVersion)
        #expect(try await store.headPosition() == 2)
    }

    @Test func employerCommands() async throws {
        let store = InMemoryEventStore()
        let handler = CommandHandler(store: store)
        let screen = RegistryEvent.employerScreened(EmployerScreened(campaign: "c1", staffCount: 80, unenrolledStaff: 55))
        await #expect(throws: RuleViolation.self) { try await handler.record(screen, for: Fixtures.employer, effective: t, metadata: meta) }
        guard case .employerRegistered(let reg) = Fixtures.everyEvent[13] else { return }
        try await handler.register(reg, effective: t, metadata: meta)
        await #expect(throws: RuleViolation.self) { try await handler.register(reg, effective: t, metadata: meta) }
        try await handler.record(screen, for: Fixtures.employer, effective: t, metadata: meta)
        let state = try await handler.employerState(Fixtures.employer)
        #expect(state.screenings.count == 1)
        #expect(state.version == 1)
        await #expect(throws: RuleViolation.self) {
            try await handler.record(.personEnrolled(PersonEnrolled(insuranceType: .maternity, route: .resident)), for: Fixtures.employer, effective: t, metadata: meta)
        }
    }
}
