extension RegistryEvent {
    /// The type and the payload's fields, with every personal value masked.
    public var description: String {
        switch self {
        case .personRegistered(let p): "\(p)"
        case .personDataCorrected(let p): "\(p)"
        case .sourceObservationRecorded(let p): "\(p)"
        case .personEnrolled(let p): "\(p)"
        case .contributionInterrupted(let p): "\(p)"
        case .contributionResumed(let p): "\(p)"
        case .enrolmentTerminated(let p): "\(p)"
        case .enrolmentTransferredOut(let p): "\(p)"
        case .enrolmentTransferredIn(let p): "\(p)"
        case .surveyTaskDispatched(let p): "\(p)"
        case .surveyObservationRecorded(let p): "\(p)"
        case .surveyReviewed(let p): "\(p)"
        case .statusMarked(let p): "\(p)"
        case .statusMarkWithdrawn(let p): "\(p)"
        case .sourceFindingEnded(let p): "\(p)"
        case .employerRegistered(let p): "\(p)"
        case .employerScreened(let p): "\(p)"
        case .personalDataRevealed(let p): "\(p)"
        case .employerInsuredUnitRegistered(let p): "\(p)"
        case .employerScreeningDispatched(let p): "\(p)"
        case .employerScreeningRecorded(let p): "\(p)"
        case .targetSet(let p): "\(p)"
        }
    }
}
