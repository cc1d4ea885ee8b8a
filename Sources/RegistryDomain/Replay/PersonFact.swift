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
    /// Enrolled in a type.
    case enrolled(InsuranceType)
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

    /// The fact of a record, or nil when the record is not a person event.
    ///
    /// The frequent types are read straight from the payload bytes, skipping the strings the views never use,
    /// so that a replay allocates nothing per event; the rest (and older schema versions) go through
    /// ``RegistryEvent/decode(_:)-(RecordView)``. Both paths give the same fact (tested).
    /// - Throws: ``EventFormatError`` when the record is not a readable registry event.
    public static func decode(_ view: RecordView) throws(EventFormatError) -> PersonFact? {
        if let type = RegistryEventType(fast: view), view.schemaVersion == type.currentVersion {
            var r = BinaryPayloadReader(view.payload)
            do {
                switch type {
                case .personRegistered:
                    _ = try r.readInteger(UInt64.self)  // citizen ID: the stream says whose
                    try r.skipString()  // name
                    try r.skipString()  // ethnicity
                    _ = try HukouType.read(from: &r)
                    try r.skipString()  // hukou address
                    let hukou = try r.optionalPadded()
                    try r.skipString()  // residence address
                    let residence = try r.optionalPadded()
                    if try r.readInteger(UInt8.self) == 1 { try r.skipString() }  // phone
                    let employment = try EmploymentStatus.read(from: &r)
                    _ = try Department.read(from: &r)
                    return .registered(hukou: hukou, residence: residence, employment: employment)
                case .sourceObservationRecorded:
                    _ = try Department.read(from: &r)
                    return .observed(try SourceFinding.read(from: &r))
                case .personEnrolled:
                    return .enrolled(try InsuranceType.read(from: &r))
                case .contributionInterrupted:
                    return .interrupted(try InsuranceType.read(from: &r))
                case .contributionResumed:
                    return .resumed(try InsuranceType.read(from: &r))
                case .surveyTaskDispatched:
                    let task = try r.uuidKey()
                    return .taskDispatched(task: task, division: try DivisionCode.read(from: &r).padded)
                case .surveyObservationRecorded:
                    let task = try r.uuidKey()
                    let surveyors = try r.readVarint()
                    for _ in 0..<surveyors { try r.skipString() }
                    try r.skipString()  // device
                    _ = try r.readInteger(Int64.self)  // visited at
                    return .visited(task: task, outcome: try SurveyOutcome.read(from: &r))
                case .surveyReviewed:
                    let task = try r.uuidKey()
                    let level = try ReviewLevel.read(from: &r)
                    return .reviewed(task: task, level: level, decision: try ReviewDecision.read(from: &r))
                case .statusMarked:
                    return .marked(try StatusMark.read(from: &r))
                default:
                    break
                }
            } catch {
                // Fall through to the full decoder, which names the stream in its error.
            }
        }
        return try slowDecode(view)
    }

    static func slowDecode(_ view: RecordView) throws(EventFormatError) -> PersonFact? {
        switch try RegistryEvent.decode(view) {
        case .personRegistered(let p):
            return .registered(hukou: p.hukouDivision?.padded ?? 0, residence: p.residenceDivision?.padded ?? 0,
                               employment: p.employmentStatus)
        case .personDataCorrected(let p):
            var hukou: UInt64?, residence: UInt64?, deceased: Bool?, employment: EmploymentStatus?
            for c in p.corrections {
                switch c.field {
                case .hukouDivision: hukou = DivisionCode(validating: c.value.storage)?.padded ?? hukou
                case .residenceDivision: residence = DivisionCode(validating: c.value.storage)?.padded ?? residence
                case .vitalStatus: deceased = c.value.storage == "deceased"
                case .employmentStatus: employment = EmploymentStatus(rawValue: c.value.storage) ?? employment
                default: break
                }
            }
            return .corrected(hukou: hukou, residence: residence, deceased: deceased, employment: employment)
        case .sourceObservationRecorded(let p): return .observed(p.finding)
        case .personEnrolled(let p): return .enrolled(p.insuranceType)
        case .contributionInterrupted(let p): return .interrupted(p.insuranceType)
        case .contributionResumed(let p): return .resumed(p.insuranceType)
        case .enrolmentTerminated(let p): return .terminated(p.insuranceType)
        case .enrolmentTransferredOut(let p): return .transferredOut(p.insuranceType)
        case .enrolmentTransferredIn(let p): return .transferredIn(p.insuranceType)
        case .surveyTaskDispatched(let p): return .taskDispatched(task: UUIDKey(p.taskID), division: p.division.padded)
        case .surveyObservationRecorded(let p): return .visited(task: UUIDKey(p.taskID), outcome: p.outcome)
        case .surveyReviewed(let p): return .reviewed(task: UUIDKey(p.taskID), level: p.level, decision: p.decision)
        case .statusMarked(let p): return .marked(p.mark)
        case .employerRegistered, .employerScreened, .personalDataRevealed: return nil
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
        guard t.count >= 12 else { return nil }
        let candidate: RegistryEventType
        switch (t.count, t[0], t[1]) {
        case (16, UInt8(ascii: "P"), _): candidate = .personRegistered
        case (16, _, _): candidate = .employerScreened
        case (19, UInt8(ascii: "P"), _): candidate = .personDataCorrected
        case (19, UInt8(ascii: "C"), _): candidate = .contributionResumed
        case (19, _, _): candidate = .enrolmentTerminated
        case (25, UInt8(ascii: "S"), UInt8(ascii: "o")): candidate = .sourceObservationRecorded
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
        default: return nil
        }
        guard record.typeIs(candidate.staticName) else { return nil }
        self = candidate
    }
}
