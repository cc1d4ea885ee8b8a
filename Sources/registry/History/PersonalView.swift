import EventLog
import RegistryDomain

/// How `history` shows personal values: masked, or in full through ``PersonalDataAccess``, which appends a
/// `PersonalDataRevealed` audit fact before each value is shown.
struct PersonalView<Store: EventStore>: Sendable {
    /// Who asks and why, when revealing.
    struct Reveal: Sendable {
        var access: PersonalDataAccess<Store>
        var viewer: String
        var reason: String
    }

    /// Whose values these are.
    let subject: CitizenID
    /// Set when values are revealed.
    let reveal: Reveal?
    /// Audit facts appended so far.
    private(set) var auditFacts = 0

    /// Masked values.
    init(subject: CitizenID) {
        self.subject = subject
        self.reveal = nil
    }

    /// Revealed values, each reveal recorded first.
    init(subject: CitizenID, store: Store, viewer: String, reason: String) {
        self.subject = subject
        self.reveal = Reveal(access: PersonalDataAccess(store: store), viewer: viewer, reason: reason)
    }

    /// Whether values are shown in full.
    var isRevealing: Bool { reveal != nil }

    /// The citizen ID as shown.
    var citizenID: String { reveal == nil ? subject.masked : subject.value }

    /// One personal value, masked or revealed (recording the reveal).
    /// - Throws: the audit append's error; nothing is revealed then.
    mutating func show<Kind: PersonalKind>(_ value: Personal<Kind>) async throws -> String {
        guard let reveal else { return value.masked }
        let full = try await reveal.access.reveal(value, of: subject, by: reveal.viewer, reason: reveal.reason)
        auditFacts += 1
        return full
    }

    /// A registration's name, phone and addresses, masked or revealed with one audit fact.
    /// - Throws: the audit append's error; nothing is revealed then.
    mutating func show(_ person: PersonRegistered) async throws
        -> (name: String, phone: String?, hukouAddress: String, residenceAddress: String)
    {
        guard let reveal else {
            return (person.name.masked, person.phone?.masked, person.hukouAddress.masked, person.residenceAddress.masked)
        }
        let full = try await reveal.access.reveal(person, by: reveal.viewer, reason: reveal.reason)
        auditFacts += 1
        return (full.name, full.phone, full.hukouAddress, full.residenceAddress)
    }
}
