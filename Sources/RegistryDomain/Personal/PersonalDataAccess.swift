import Foundation
import EventLog

/// The only way to see a personal value in full: every reveal is first recorded as a ``PersonalDataRevealed``
/// fact (who viewed whom, which field, when, why) in the day's `audit-YYYY-MM-DD` stream.
///
/// The audit fact is appended *before* the value is returned; if the append fails, nothing is revealed.
/// Audit streams are ordinary streams of the same log, so they are exported, verified and replayed like the rest.
///
/// ```swift
/// let access = PersonalDataAccess(store: store)
/// let phone = try await access.reveal(person.phone!, of: person.citizenID, by: "operator:ops-7",
///                                     reason: "call back about the survey")
/// ```
public struct PersonalDataAccess<Store: EventStore>: Sendable {
    /// The store audit facts are appended to.
    public let store: Store

    /// Creates an accessor.
    public init(store: Store) { self.store = store }

    /// Reveals one personal value after recording the access.
    /// - Parameters:
    ///   - value: the masked value.
    ///   - subject: whose value it is.
    ///   - viewer: who views it, such as `operator:ops-7`; must not be empty.
    ///   - reason: why; must not be empty.
    ///   - time: when (now by default); the audit stream is that day's in China Standard Time.
    /// - Returns: the full value.
    /// - Throws: ``RuleViolation/Rule/reasonRequired`` when the viewer or reason is empty, or the store's error;
    ///   nothing is revealed then.
    public func reveal<Kind: PersonalKind>(
        _ value: Personal<Kind>, of subject: CitizenID, by viewer: String, reason: String, at time: Timestamp = .now
    ) async throws -> String {
        try await record(fields: [Kind.fieldName], of: subject, by: viewer, reason: reason, at: time)
        return value.storage
    }

    /// Reveals the full person data of a registration after recording the access.
    /// - Returns: the name, phone, household and residence addresses in full.
    /// - Throws: as ``reveal(_:of:by:reason:at:)``.
    public func reveal(
        _ person: PersonRegistered, by viewer: String, reason: String, at time: Timestamp = .now
    ) async throws -> RevealedPerson {
        try await record(fields: ["name", "phone", "hukouAddress", "residenceAddress"], of: person.citizenID, by: viewer, reason: reason, at: time)
        return RevealedPerson(
            citizenID: person.citizenID.value, name: person.name.storage, phone: person.phone?.storage,
            hukouAddress: person.hukouAddress.storage, residenceAddress: person.residenceAddress.storage)
    }

    /// Appends the audit fact.
    func record(fields: [String], of subject: CitizenID, by viewer: String, reason: String, at time: Timestamp) async throws {
        guard !viewer.isEmpty, !reason.isEmpty else {
            throw RuleViolation(.reasonRequired, "PersonalDataRevealed: a reveal names its viewer and reason")
        }
        let fact = RegistryEvent.personalDataRevealed(PersonalDataRevealed(subject: subject, fields: fields, viewer: viewer, reason: reason))
        let metadata = EventMetadata(actor: String(viewer.utf8.prefix(255)) ?? "viewer")
        try await store.append([fact.proposed(effective: time, metadata: metadata)], to: .audit(CalendarDate(time)), expecting: .any)
    }
}

/// A person's data in full, as returned by an audited reveal.
///
/// - Important: Handle as confidential: do not log it. Its `description` is masked nonetheless.
public struct RevealedPerson: Sendable, Hashable, CustomStringConvertible {
    /// The 18-character citizen ID.
    public let citizenID: String
    /// The name.
    public let name: String
    /// The phone number, if known.
    public let phone: String?
    /// The household registration address.
    public let hukouAddress: String
    /// The residence address.
    public let residenceAddress: String

    /// Masked, like everything shown by default.
    public var description: String {
        "RevealedPerson(\(Masking.mask(citizenID)), \(NameKind.mask(name)))"
    }
}
