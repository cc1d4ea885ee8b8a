import EventLog


/// What a person event means to the views, with only the fields they read: plain values, no strings.
///
/// Decoded from a record in place (``decode(_:)``); employer and audit events are not person facts.
public enum PersonFact: Sendable, Hashable {
    /// Basic data registered: divisions as padded 12-digit codes (0 when unknown).
    case registered(hukou: UInt64, residence: UInt64, employment: EmploymentStatus)
    /// Person data corrected: the divisions and vital status that changed (nil: unchanged).
    case corrected(hukou: UInt64?, residence: UInt64?, deceased: Bool?, employment: EmploymentStatus?)
    /// A comparison finding from a department.
    case observed(SourceFinding)
    /// Enrolled in a type, through an agency or employer in a division (padded 12 digits, 0 when not said).
    case enrolled(InsuranceType, agency: UInt64)
    /// Contributions in a type interrupted.
    case interrupted(InsuranceType)
    /// Contributions in a type resumed.
    case resumed(InsuranceType)
    /// Enrolment in a type terminated.
    case terminated(InsuranceType)
    /// Enrolment in a type transferred out of the region.
    case transferredOut(InsuranceType)
    /// Enrolment in a type transferred in.
    case transferredIn(InsuranceType)
    /// A survey task dispatched to a division.
    case taskDispatched(task: UUIDKey, division: UInt64)
    /// A survey visit recorded.
    case visited(task: UUIDKey, outcome: SurveyOutcome)
    /// A survey record reviewed.
    case reviewed(task: UUIDKey, level: ReviewLevel, decision: ReviewDecision)
    /// A status mark.
    case marked(StatusMark)
    /// A status mark withdrawn.
    case markWithdrawn(StatusMark)
    /// A department no longer reports a finding.
    case findingEnded(SourceFinding)

    /// The fact of a record, or nil when the record is not a person event.
    ///
    /// The frequent types are read straight from the payload bytes by their own `replayFact(from:)` (in each
    /// event's folder, `Events/<Event>/<Event>+Replay.swift`), skipping the strings the views never use, so that a
    /// replay allocates nothing per event; the rest (and older schema versions) go through
    /// ``RegistryEvent/decode(_:)-(RecordView)`` and the event's `personFact`. Both paths give the same fact (tested
    /// for every event type).
    /// - Throws: ``EventFormatError`` when the record is not a readable registry event.
    public static func decode(_ view: RecordView) throws(EventFormatError) -> PersonFact? {
        do {
            if let fact = try fastDecode(view) { return fact }
        } catch {
            // Fall through to the full decoder, which names the stream in its error.
        }
        return try slowDecode(view)
    }

    /// The fact read in place by the event's own `replayFact(from:)`, or nil when the type (or this schema version)
    /// has no fast path. Tested against ``slowDecode(_:)`` for every event type, without the fallback.
    @inlinable
    static func fastDecode(_ view: RecordView) throws(EventFormatError) -> PersonFact? {
        guard let type = RegistryEventType(fast: view), view.schemaVersion == type.currentVersion else { return nil }
        var r = BinaryPayloadReader(view.payload)
        switch type {
        case .personRegistered: return try PersonRegistered.replayFact(from: &r)
        case .sourceObservationRecorded: return try SourceObservationRecorded.replayFact(from: &r)
        case .personEnrolled: return try PersonEnrolled.replayFact(from: &r)
        case .contributionInterrupted: return try ContributionInterrupted.replayFact(from: &r)
        case .contributionResumed: return try ContributionResumed.replayFact(from: &r)
        case .surveyTaskDispatched: return try SurveyTaskDispatched.replayFact(from: &r)
        case .surveyObservationRecorded: return try SurveyObservationRecorded.replayFact(from: &r)
        case .surveyReviewed: return try SurveyReviewed.replayFact(from: &r)
        case .statusMarked: return try StatusMarked.replayFact(from: &r)
        case .statusMarkWithdrawn: return try StatusMarkWithdrawn.replayFact(from: &r)
        case .sourceFindingEnded: return try SourceFindingEnded.replayFact(from: &r)
        default: return nil
        }
    }

    static func slowDecode(_ view: RecordView) throws(EventFormatError) -> PersonFact? {
        try RegistryEvent.decode(view).personFact
    }
}

extension RegistryEvent {
    /// What the event means to a person's standing; nil for employer and audit events.
    public var personFact: PersonFact? {
        switch self {
        case .personRegistered(let p): p.personFact
        case .personDataCorrected(let p): p.personFact
        case .sourceObservationRecorded(let p): p.personFact
        case .personEnrolled(let p): p.personFact
        case .contributionInterrupted(let p): p.personFact
        case .contributionResumed(let p): p.personFact
        case .enrolmentTerminated(let p): p.personFact
        case .enrolmentTransferredOut(let p): p.personFact
        case .enrolmentTransferredIn(let p): p.personFact
        case .surveyTaskDispatched(let p): p.personFact
        case .surveyObservationRecorded(let p): p.personFact
        case .surveyReviewed(let p): p.personFact
        case .statusMarked(let p): p.personFact
        case .statusMarkWithdrawn(let p): p.personFact
        case .sourceFindingEnded(let p): p.personFact
        case .employerRegistered, .employerScreened, .personalDataRevealed, .employerInsuredUnitRegistered, .employerScreeningDispatched,
             .employerScreeningRecorded, .targetSet: nil
        }
    }
}

extension BinaryPayloadReader {
    /// Skips a string without reading it.
    @inlinable
    mutating func skipString() throws(EventFormatError) {
        let n = try readVarint()
        guard n <= UInt64(Int32.max) else { throw Self.malformed("string too long", at: offset) }
        _ = try readBytes(Int(n))
    }

    /// An optional division code as its padded number, 0 when absent.
    @inlinable
    mutating func optionalPadded() throws(EventFormatError) -> UInt64 {
        try readInteger(UInt8.self) == 1 ? try DivisionCode.read(from: &self).padded : 0
    }

    /// A UUID as two integers.
    @inlinable
    mutating func uuidKey() throws(EventFormatError) -> UUIDKey {
        let raw = try readBytes(16)
        return UUIDKey(high: raw.loadUnaligned(as: UInt64.self), low: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }
}

extension RegistryEventType {
    /// The type of a record by its length and first letters, confirmed by one comparison.
    @inlinable
    public init?(fast record: RecordView) {
        let t = record.typeBytes
        guard t.count >= 9 else { return nil }
        let candidate: RegistryEventType
        switch (t.count, t[0], t[1]) {
        case (16, UInt8(ascii: "P"), _): candidate = .personRegistered
        case (16, _, _): candidate = .employerScreened
        case (19, UInt8(ascii: "P"), _): candidate = .personDataCorrected
        case (19, UInt8(ascii: "C"), _): candidate = .contributionResumed
        case (19, UInt8(ascii: "S"), _): candidate = .statusMarkWithdrawn
        case (18, UInt8(ascii: "S"), _): candidate = .sourceFindingEnded
        case (19, _, _): candidate = .enrolmentTerminated
        case (25, UInt8(ascii: "S"), UInt8(ascii: "o")): candidate = .sourceObservationRecorded
        case (25, UInt8(ascii: "E"), _): candidate = .employerScreeningRecorded
        case (25, _, _): candidate = .surveyObservationRecorded
        case (14, UInt8(ascii: "P"), _): candidate = .personEnrolled
        case (14, _, _): candidate = .surveyReviewed
        case (23, UInt8(ascii: "C"), _): candidate = .contributionInterrupted
        case (23, _, _): candidate = .enrolmentTransferredOut
        case (22, _, _): candidate = .enrolmentTransferredIn
        case (20, UInt8(ascii: "S"), _): candidate = .surveyTaskDispatched
        case (20, _, _): candidate = .personalDataRevealed
        case (12, _, _): candidate = .statusMarked
        case (18, _, _): candidate = .employerRegistered
        case (29, _, _): candidate = .employerInsuredUnitRegistered
        case (27, _, _): candidate = .employerScreeningDispatched
        case (9, _, _): candidate = .targetSet
        default: return nil
        }
        guard record.typeIs(candidate.staticName) else { return nil }
        self = candidate
    }
}
