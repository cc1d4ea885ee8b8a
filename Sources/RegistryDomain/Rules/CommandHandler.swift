import Foundation
import EventLog

/// Records registry events after checking the rules: read the stream, fold its state, decide, and append with
/// the expected version; on a concurrent write (`EventLogError/Code/wrongExpectedVersion`) start again.
///
/// A command is the event it wants recorded. A refused command throws a ``RuleViolation`` and appends nothing.
/// Commands are idempotent by event id: if the stream already holds an event with the id, the earlier result is
/// returned (`wasAlreadyAppended`) without checking the rules again, so a caller may retry with the same id.
///
/// ```swift
/// let handler = CommandHandler(store: store)
/// try await handler.record(.personEnrolled(PersonEnrolled(insuranceType: .employeePension, route: .employer,
///     employer: code)), for: person, effective: .now, metadata: EventMetadata(actor: "agency:120101"))
/// ```
///
/// ## Topics
/// ### Recording
/// - ``record(_:for:id:effective:metadata:)-(_,CitizenID,_,_,_)``
/// - ``record(_:for:id:effective:metadata:)-(_,CreditCode,_,_,_)``
/// - ``register(_:id:effective:metadata:)-(PersonRegistered,_,_,_)``
/// - ``register(_:id:effective:metadata:)-(EmployerRegistered,_,_,_)``
/// ### Reading state
/// - ``personState(_:)``
/// - ``employerState(_:)``
public struct CommandHandler<Store: EventStore>: Sendable {
    /// The store written to.
    public let store: Store
    /// The configuration the rules check against.
    public var rules: RegistryRules
    /// How many times a command is tried when other writers keep changing the stream.
    public var maxAttempts: Int

    /// Creates a handler.
    /// - Parameters:
    ///   - store: the event store.
    ///   - rules: the rule configuration.
    ///   - maxAttempts: tries before a persistent conflict is reported (at least 1).
    public init(store: Store, rules: RegistryRules = .default, maxAttempts: Int = 8) {
        self.store = store
        self.rules = rules
        self.maxAttempts = max(1, maxAttempts)
    }

    /// A person's state as of now.
    /// - Throws: store errors, or ``EventFormatError`` when the stream holds an unreadable event.
    public func personState(_ person: CitizenID) async throws -> PersonState {
        try PersonState.fold(try await store.readStream(.person(person)))
    }

    /// An employer's state as of now.
    /// - Throws: store errors, or ``EventFormatError`` when the stream holds an unreadable event.
    public func employerState(_ employer: CreditCode) async throws -> EmployerState {
        try EmployerState.fold(try await store.readStream(.employer(employer)))
    }

    /// Registers a person in `person-<citizen ID>`.
    /// - Throws: ``RuleViolation`` (``RuleViolation/Rule/alreadyRegistered``), or store errors.
    @discardableResult
    public func register(
        _ person: PersonRegistered, id: UUID = UUID(), effective: Timestamp, metadata: EventMetadata
    ) async throws -> AppendResult {
        try await record(.personRegistered(person), for: person.citizenID, id: id, effective: effective, metadata: metadata)
    }

    /// Registers an employer in `employer-<credit code>`.
    /// - Throws: ``RuleViolation`` (``RuleViolation/Rule/alreadyRegistered``), or store errors.
    @discardableResult
    public func register(
        _ employer: EmployerRegistered, id: UUID = UUID(), effective: Timestamp, metadata: EventMetadata
    ) async throws -> AppendResult {
        try await record(.employerRegistered(employer), for: employer.creditCode, id: id, effective: effective, metadata: metadata)
    }

    /// Records a person event when the rules allow it.
    /// - Parameters:
    ///   - event: a person event (see ``RegistryStream``).
    ///   - person: whose stream.
    ///   - id: the event id; reuse it when retrying a command whose outcome is unknown.
    ///   - effective: when it happened in the world.
    ///   - metadata: who recorded it and from what source.
    /// - Returns: what the append did.
    /// - Throws: ``RuleViolation`` naming the rule (nothing appended); `EventLogError` from the store
    ///   (`EventLogError/Code/wrongExpectedVersion` after ``maxAttempts`` conflicts).
    @discardableResult
    public func record(
        _ event: RegistryEvent, for person: CitizenID, id: UUID = UUID(), effective: Timestamp, metadata: EventMetadata
    ) async throws -> AppendResult {
        let stream = StreamID.person(person)
        if case .personRegistered(let p) = event, p.citizenID != person {
            throw RuleViolation(.wrongStream, "PersonRegistered: the citizen ID in the data is not the stream's", stream: stream)
        }
        let rules = self.rules
        return try await decideAndAppend(event, stream: stream, id: id, effective: effective, metadata: metadata) { events in
            let state = try PersonState.fold(events)
            try state.check(event, rules: rules)
            return state.version
        }
    }

    /// Records an employer event when the rules allow it.
    /// - Throws: ``RuleViolation`` naming the rule (nothing appended); `EventLogError` from the store.
    @discardableResult
    public func record(
        _ event: RegistryEvent, for employer: CreditCode, id: UUID = UUID(), effective: Timestamp, metadata: EventMetadata
    ) async throws -> AppendResult {
        let stream = StreamID.employer(employer)
        if case .employerRegistered(let p) = event, p.creditCode != employer {
            throw RuleViolation(.wrongStream, "EmployerRegistered: the credit code in the data is not the stream's", stream: stream)
        }
        return try await decideAndAppend(event, stream: stream, id: id, effective: effective, metadata: metadata) { events in
            let state = try EmployerState.fold(events)
            try state.check(event)
            return state.version
        }
    }

    /// Sets or revises a target in `target-<area>` when it is well formed (``TargetRules``). A revision is simply a
    /// later `TargetSet` with the same key; the earlier one stays in history.
    /// - Throws: ``RuleViolation`` with ``RuleViolation/Rule/invalidTarget`` (nothing appended); `EventLogError`.
    @discardableResult
    public func setTarget(_ target: TargetSet, id: UUID = UUID(), effective: Timestamp, metadata: EventMetadata) async throws -> AppendResult {
        let stream = StreamID.target(target.area)
        let event = RegistryEvent.targetSet(target)
        return try await decideAndAppend(event, stream: stream, id: id, effective: effective, metadata: metadata) { events in
            try TargetRules.check(event, stream: stream)
            return events.last?.streamVersion
        }
    }

    /// The optimistic-concurrency loop: read, decide (returning the version decided on), append expecting it.
    func decideAndAppend(
        _ event: RegistryEvent, stream: StreamID, id: UUID, effective: Timestamp, metadata: EventMetadata,
        decide: ([RecordedEvent]) throws -> StreamVersion?
    ) async throws -> AppendResult {
        let proposed = event.proposed(id: id, effective: effective, metadata: metadata)
        var lastConflict: EventLogError?
        for _ in 0..<maxAttempts {
            let events = try await store.readStream(stream)
            if let earlier = events.first(where: { $0.id == id }) {
                guard earlier.hasSameContent(as: proposed) else {
                    throw EventLogError(.duplicateEventID, "event id \(id) is already in the stream with different content", stream: stream)
                }
                return AppendResult(streamVersion: earlier.streamVersion, positions: earlier.position...earlier.position, wasAlreadyAppended: true)
            }
            let version = try decide(events)
            let expected: ExpectedVersion = version.map { .exactly($0) } ?? .noStream
            let result = try await store.append([StreamAppend(stream: stream, expected: expected, events: [proposed])])[0]
            switch result {
            case .success(let r): return r
            case .failure(let e) where e.code == .wrongExpectedVersion: lastConflict = e
            case .failure(let e): throw e
            }
        }
        throw lastConflict ?? EventLogError(.wrongExpectedVersion, "the stream kept changing", stream: stream)
    }
}
