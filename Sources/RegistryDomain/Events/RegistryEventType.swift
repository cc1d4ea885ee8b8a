import EventLog

/// The registry's event types: their names in the log, current schema versions and stream categories.
public enum RegistryEventType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// ``PersonRegistered``.
    case personRegistered = "PersonRegistered"
    /// ``PersonDataCorrected``.
    case personDataCorrected = "PersonDataCorrected"
    /// ``SourceObservationRecorded``.
    case sourceObservationRecorded = "SourceObservationRecorded"
    /// ``PersonEnrolled`` (version 2; version 1 is ``PersonEnrolledV1``).
    case personEnrolled = "PersonEnrolled"
    /// ``ContributionInterrupted``.
    case contributionInterrupted = "ContributionInterrupted"
    /// ``ContributionResumed``.
    case contributionResumed = "ContributionResumed"
    /// ``EnrolmentTerminated``.
    case enrolmentTerminated = "EnrolmentTerminated"
    /// ``EnrolmentTransferredOut``.
    case enrolmentTransferredOut = "EnrolmentTransferredOut"
    /// ``EnrolmentTransferredIn``.
    case enrolmentTransferredIn = "EnrolmentTransferredIn"
    /// ``SurveyTaskDispatched``.
    case surveyTaskDispatched = "SurveyTaskDispatched"
    /// ``SurveyObservationRecorded``.
    case surveyObservationRecorded = "SurveyObservationRecorded"
    /// ``SurveyReviewed``.
    case surveyReviewed = "SurveyReviewed"
    /// ``StatusMarked``.
    case statusMarked = "StatusMarked"
    /// ``StatusMarkWithdrawn``.
    case statusMarkWithdrawn = "StatusMarkWithdrawn"
    /// ``SourceFindingEnded``.
    case sourceFindingEnded = "SourceFindingEnded"
    /// ``EmployerRegistered``.
    case employerRegistered = "EmployerRegistered"
    /// ``EmployerScreened``.
    case employerScreened = "EmployerScreened"
    /// ``PersonalDataRevealed``.
    case personalDataRevealed = "PersonalDataRevealed"
    /// ``EmployerInsuredUnitRegistered``.
    case employerInsuredUnitRegistered = "EmployerInsuredUnitRegistered"
    /// ``EmployerScreeningDispatched``.
    case employerScreeningDispatched = "EmployerScreeningDispatched"
    /// ``EmployerScreeningRecorded``.
    case employerScreeningRecorded = "EmployerScreeningRecorded"
    /// ``TargetSet``.
    case targetSet = "TargetSet"

    /// Every type, cached.
    public static let all: [RegistryEventType] = allCases

    /// The type's name in the log, as a static string for allocation-free comparison.
    @inlinable
    public var staticName: StaticString {
        switch self {
        case .personRegistered: "PersonRegistered"
        case .personDataCorrected: "PersonDataCorrected"
        case .sourceObservationRecorded: "SourceObservationRecorded"
        case .personEnrolled: "PersonEnrolled"
        case .contributionInterrupted: "ContributionInterrupted"
        case .contributionResumed: "ContributionResumed"
        case .enrolmentTerminated: "EnrolmentTerminated"
        case .enrolmentTransferredOut: "EnrolmentTransferredOut"
        case .enrolmentTransferredIn: "EnrolmentTransferredIn"
        case .surveyTaskDispatched: "SurveyTaskDispatched"
        case .surveyObservationRecorded: "SurveyObservationRecorded"
        case .surveyReviewed: "SurveyReviewed"
        case .statusMarked: "StatusMarked"
        case .statusMarkWithdrawn: "StatusMarkWithdrawn"
        case .sourceFindingEnded: "SourceFindingEnded"
        case .employerRegistered: "EmployerRegistered"
        case .employerScreened: "EmployerScreened"
        case .personalDataRevealed: "PersonalDataRevealed"
        case .employerInsuredUnitRegistered: "EmployerInsuredUnitRegistered"
        case .employerScreeningDispatched: "EmployerScreeningDispatched"
        case .employerScreeningRecorded: "EmployerScreeningRecorded"
        case .targetSet: "TargetSet"
        }
    }

    /// The schema version written today.
    public var currentVersion: UInt16 {
        switch self {
        case .personEnrolled: PersonEnrolled.schemaVersion
        default: 1
        }
    }

    /// Every schema version this build reads (older ones are upcast).
    public var readableVersions: ClosedRange<UInt16> { 1...currentVersion }

    /// The category of the streams the type lives in: `person`, `employer`, `target` or `audit`.
    public var category: RegistryStream.Category {
        switch self {
        case .employerRegistered, .employerScreened, .employerInsuredUnitRegistered, .employerScreeningDispatched,
             .employerScreeningRecorded: .employer
        case .personalDataRevealed: .audit
        case .targetSet: .target
        default: .person
        }
    }

    /// The type of a record, compared in place without allocating.
    /// - Returns: nil when the record's type is not a registry type.
    @inlinable
    public init?(_ record: RecordView) {
        for t in RegistryEventType.all where record.typeIs(t.staticName) {
            self = t
            return
        }
        return nil
    }

    /// The type's name in the log.
    public var description: String { rawValue }
}
