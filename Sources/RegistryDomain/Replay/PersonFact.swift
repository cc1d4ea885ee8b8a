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
    /// - Throws: ``EventFormatError`` when the record is not a readable registry event.
    @inlinable
    public static func decode(_ view: RecordView) throws(EventFormatError) -> PersonFact? {
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
