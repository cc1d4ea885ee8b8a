import EventLog
import RegistryDomain
import RegistryProjections

/// The registry's current knowledge per person and employer, as a comparison needs it, folded from the log.
///
/// A ``Projection``: rebuilt by ``ProjectionEngine`` (or caught up from where it stopped), so its memory is
/// bounded by the registry (one 40-byte ``KnownPerson`` per person, an index entry, and the employers named by
/// employment findings), not by any feed. It folds registrations, corrections, findings (and their ends), marks
/// and enrolment facts; survey tasks only advance the stream versions.
public struct RegistryKnowledge: Projection, Sendable {
    /// The position of the last record folded.
    public private(set) var position: LogPosition = 0
    /// The persons, in order of first appearance.
    public private(set) var persons: [KnownPerson] = []
    /// Person key → index in ``persons``.
    private var index = KnowledgeIndex()
    /// (person index × 16 + finding) → the employer of an employment finding that holds.
    private var employers: [Int64: CreditCode] = [:]
    /// Registered employers → their stream version.
    public private(set) var knownEmployers: [CreditCode: Int64] = [:]

    /// Creates an empty knowledge, ready to fold from position 1.
    /// - Parameter expectedPersons: a capacity hint.
    public init(expectedPersons: Int = 0) {
        if expectedPersons > 0 {
            persons.reserveCapacity(expectedPersons)
            index = KnowledgeIndex(capacity: expectedPersons)
        }
    }

    /// The number of persons with a stream (or met in a run so far).
    public var personCount: Int { persons.count }

    /// The index of a person, if known.
    public func lookup(_ key: UInt64) -> Int? {
        index.find(key).map(Int.init)
    }

    /// The person at an index.
    public subscript(_ i: Int) -> KnownPerson {
        get { persons[i] }
        set { persons[i] = newValue }
    }

    /// The index of a person, adding an entry (with no stream) when not known.
    public mutating func indexAdding(_ key: UInt64) -> Int {
        let (i, inserted) = index.findOrInsert(key, next: Int32(persons.count))
        if inserted { persons.append(KnownPerson(key: key)) }
        return Int(i)
    }

    /// The employer of an employment finding that holds for a person.
    public func employer(of person: Int, for finding: TrackedFinding) -> CreditCode? {
        employers[Int64(person) * 16 + Int64(finding.rawValue)]
    }

    /// Records that a finding holds (or, with `holds` false, no longer holds) for a person.
    public mutating func set(_ finding: TrackedFinding, holds: Bool, employer: CreditCode? = nil, of person: Int) {
        if holds {
            persons[person].findings |= finding.bit
            if finding.namesEmployer { employers[Int64(person) * 16 + Int64(finding.rawValue)] = employer }
        } else {
            persons[person].findings &= ~finding.bit
            if finding.namesEmployer { employers[Int64(person) * 16 + Int64(finding.rawValue)] = nil }
        }
    }

    /// Records that a finding ended, whichever department reported it: the registry keeps one word per finding (the
    /// latest department's), and an ending removes it (``PersonState``'s rule refuses a second ending).
    public mutating func end(_ finding: SourceFinding, of person: Int) {
        for t in TrackedFinding.allCases where t.finding == finding && persons[person].holds(t) {
            set(t, holds: false, of: person)
        }
    }

    /// Records an employer's stream version.
    public mutating func setEmployer(_ code: CreditCode, version: Int64) { knownEmployers[code] = version }

    /// Folds a batch of records.
    public mutating func apply(_ records: RecordViews) throws {
        for record in records { try apply(record) }
    }

    /// Folds one record (skipped when at or before ``position``).
    /// - Throws: ``EventFormatError`` for a record that is not a readable registry event.
    public mutating func apply(_ record: RecordView) throws {
        guard record.position > position else { return }
        defer { position = record.position }
        guard let key = PersonKey.key(streamBytes: record.streamBytes) else {
            if record.typeIs("EmployerRegistered"), case .employerRegistered(let e) = try RegistryEvent.decode(record) {
                knownEmployers[e.creditCode] = Int64(record.streamVersion)
            } else if record.typeIs("EmployerScreened"), case .employerScreened = try RegistryEvent.decode(record) {
                // Screening advances the employer stream.
                if let code = Self.employer(in: record) { knownEmployers[code] = Int64(record.streamVersion) }
            }
            return
        }
        let i = indexAdding(key)
        persons[i].version = Int64(record.streamVersion)
        if record.typeIs("SourceObservationRecorded") {
            guard case .sourceObservationRecorded(let o) = try RegistryEvent.decode(record) else { return }
            if o.finding == .deceased { persons[i].flags |= KnownPerson.Flags.deceased }
            if let tracked = TrackedFinding(department: o.department, finding: o.finding) {
                set(tracked, holds: true, employer: o.employer, of: i)
            }
            return
        }
        if record.typeIs("SourceFindingEnded") {
            try applyEnded(record, person: i)
            return
        }
        guard let fact = try PersonFact.decode(record) else { return }
        switch fact {
        case .registered(let hukou, let residence, _):
            persons[i].flags |= KnownPerson.Flags.registered
            persons[i].hukou = hukou
            persons[i].residence = residence
        case .corrected(let hukou, let residence, let deceased, _):
            if let hukou { persons[i].hukou = hukou }
            if let residence { persons[i].residence = residence }
            if let deceased {
                if deceased { persons[i].flags |= KnownPerson.Flags.deceased } else { persons[i].flags &= ~KnownPerson.Flags.deceased }
            }
        case .marked(let mark):
            if mark == .deceased { persons[i].flags |= KnownPerson.Flags.deceased }
        case .markWithdrawn(let mark):
            if mark == .deceased, !persons[i].holds(.deceased) { persons[i].flags &= ~KnownPerson.Flags.deceased }
        case .enrolled(let t, _), .transferredIn(let t), .resumed(let t): persons[i].setStatus(.paying, of: t)
        case .interrupted(let t): persons[i].setStatus(.interrupted, of: t)
        case .terminated(let t): persons[i].setStatus(.terminated, of: t)
        case .transferredOut(let t): persons[i].setStatus(.transferredOut, of: t)
        default: break
        }
    }

    /// The employer stream's credit code, from its stream id `employer-<code>`.
    static func employer(in record: RecordView) -> CreditCode? {
        let s = String(decoding: record.streamBytes, as: UTF8.self)
        guard s.hasPrefix("employer-") else { return nil }
        return CreditCode(validating: String(s.dropFirst("employer-".count)))
    }
}
