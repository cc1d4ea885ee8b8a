import EventLog

extension PersonState {
    /// Decides whether `event` may be appended to this person's stream.
    ///
    /// The rules, each named by a ``RuleViolation/Rule``:
    /// - the person is registered once (``RuleViolation/Rule/alreadyRegistered``), and before anything else
    ///   (``RuleViolation/Rule/notRegistered``) but comparison findings: a comparison is how people missing from
    ///   the registry are found (002 art. 9-14), so a finding may come first and the registration after it;
    /// - after death only corrections and reviews (``RuleViolation/Rule/personDeceased``);
    /// - no second enrolment in a type while one is active (``RuleViolation/Rule/alreadyEnrolled``);
    /// - no interruption, termination or transfer out of a type not enrolled (``RuleViolation/Rule/notEnrolled``);
    /// - no resumption without an interruption (``RuleViolation/Rule/notInterrupted``);
    /// - an employer route names the employer (``RuleViolation/Rule/employerRequired``);
    /// - survey: an observation only on a dispatched (or sent-back) task, a review only of a recorded observation,
    ///   the street before the district, a rejection with a reason; a rejection sends the task back to dispatched;
    /// - a mark's reason code is in the configured list (``RuleViolation/Rule/unknownReasonCode``).
    /// - Parameters:
    ///   - event: the event proposed.
    ///   - rules: the configuration (reason codes).
    /// - Throws: ``RuleViolation`` naming the rule; the message carries no personal data.
    public func check(_ event: RegistryEvent, rules: RegistryRules = .default) throws(RuleViolation) {
        let stream = citizenID.map { StreamID.person($0) }
        func refuse(_ rule: RuleViolation.Rule, _ message: String) -> RuleViolation {
            RuleViolation(rule, "\(event.type.rawValue): \(message)", stream: stream)
        }
        guard event.category == .person else {
            throw refuse(.wrongStream, "not a person event")
        }
        if case .personRegistered = event {
            guard !isRegistered else { throw refuse(.alreadyRegistered, "the person is already registered") }
            return
        }
        if case .sourceObservationRecorded = event, !isRegistered { return }
        guard isRegistered else { throw refuse(.notRegistered, "the person is not registered") }
        if isDeceased {
            switch event {
            case .personDataCorrected, .surveyReviewed, .statusMarkWithdrawn, .sourceFindingEnded: break
            case .enrolmentTerminated(let p) where p.reason == .death:
                return  // the death already ended the enrolment: the termination confirms it
            case .sourceObservationRecorded(let p) where p.finding == .deceased:
                return  // a second department reporting the death
            case .statusMarked(let p) where p.mark == .deceased:
                guard rules.reasonCodes.allows(p.reasonCode, for: p.mark) else {
                    throw refuse(.unknownReasonCode, "the reason code is not configured for \(p.mark)")
                }
                return
            default: throw refuse(.personDeceased, "after death only corrections, reviews, withdrawals and terminations for death are recorded")
            }
        }
        func requireEmployer(_ route: EnrolmentRoute, _ employer: CreditCode?) throws(RuleViolation) {
            if route == .employer, employer == nil { throw refuse(.employerRequired, "the employer route needs the employer's credit code") }
        }
        switch event {
        case .personRegistered, .employerRegistered, .employerScreened, .personalDataRevealed, .employerInsuredUnitRegistered,
             .employerScreeningDispatched, .employerScreeningRecorded, .targetSet:
            return  // handled above
        case .personDataCorrected(let p):
            guard !p.corrections.isEmpty else { throw refuse(.invalidCorrection, "a correction changes at least one field") }
            for c in p.corrections {
                let v = c.value.storage
                let ok: Bool
                switch c.field {
                case .vitalStatus: ok = v == "alive" || v == "deceased"
                case .hukouDivision, .residenceDivision: ok = DivisionCode(validating: v) != nil
                case .hukouType: ok = HukouType(rawValue: v) != nil
                case .employmentStatus: ok = EmploymentStatus(rawValue: v) != nil
                case .name: ok = !v.isEmpty
                case .ethnicity, .phone, .hukouAddress, .residenceAddress: ok = true
                }
                guard ok else { throw refuse(.invalidCorrection, "the new value of \(c.field) does not have the field's form") }
            }
        case .sourceObservationRecorded:
            return
        case .sourceFindingEnded(let p):
            guard p.finding != .deceased else { throw refuse(.notSet, "a death is undone by a vital-status correction") }
            guard findings[p.finding] != nil else { throw refuse(.notSet, "no \(p.finding) finding is reported") }
        case .statusMarkWithdrawn(let p):
            guard p.mark != .deceased else { throw refuse(.notSet, "a death is undone by a vital-status correction") }
            guard marks[p.mark] != nil else { throw refuse(.notSet, "the person is not marked \(p.mark)") }
            guard rules.reasonCodes.allowsWithdrawal(p.reasonCode, of: p.mark) else {
                throw refuse(.unknownReasonCode, "the reason code is not configured to withdraw \(p.mark)")
            }
        case .personEnrolled(let p):
            guard !self[p.insuranceType].isActive else {
                throw refuse(.alreadyEnrolled, "an enrolment in \(p.insuranceType) is already active")
            }
            try requireEmployer(p.route, p.employer)
        case .contributionInterrupted(let p):
            guard self[p.insuranceType].status == .enrolled else {
                throw refuse(.notEnrolled, "the person is not enrolled and contributing in \(p.insuranceType)")
            }
        case .contributionResumed(let p):
            guard self[p.insuranceType].status == .interrupted else {
                throw refuse(.notInterrupted, "contributions to \(p.insuranceType) are not interrupted")
            }
            try requireEmployer(p.route, p.employer)
        case .enrolmentTerminated(let p):
            guard self[p.insuranceType].isActive else { throw refuse(.notEnrolled, "the person is not enrolled in \(p.insuranceType)") }
        case .enrolmentTransferredOut(let p):
            guard self[p.insuranceType].isActive else { throw refuse(.notEnrolled, "the person is not enrolled in \(p.insuranceType)") }
        case .enrolmentTransferredIn(let p):
            guard !self[p.insuranceType].isActive else {
                throw refuse(.alreadyEnrolled, "an enrolment in \(p.insuranceType) is already active")
            }
            try requireEmployer(p.route, p.employer)
        case .surveyTaskDispatched(let p):
            guard tasks[p.taskID] == nil else { throw refuse(.duplicateSurveyTask, "task \(p.taskID) already exists") }
        case .surveyObservationRecorded(let p):
            guard let task = tasks[p.taskID] else { throw refuse(.unknownSurveyTask, "task \(p.taskID) was not dispatched") }
            guard !p.surveyorIDs.isEmpty, !p.surveyorIDs.contains(where: \.isEmpty), !p.deviceID.isEmpty else {
                throw refuse(.surveyorRequired, "an observation names its surveyors and device")
            }
            guard task.state.awaitsVisit else {
                throw refuse(.surveyTaskNotOpen, "task \(p.taskID) is \(task.state), not waiting for a visit")
            }
        case .surveyReviewed(let p):
            guard let task = tasks[p.taskID] else { throw refuse(.unknownSurveyTask, "task \(p.taskID) was not dispatched") }
            if p.decision == .reject, p.reason.isEmpty { throw refuse(.reasonRequired, "a rejection needs a reason") }
            switch (p.level, task.state) {
            case (_, .districtConfirmed):
                throw refuse(.surveyTaskClosed, "task \(p.taskID) is already confirmed by the district")
            case (_, .dispatched), (_, .sentBack):
                throw refuse(.observationNotRecorded, "task \(p.taskID) has no observation waiting for review")
            case (.street, .visited), (.district, .streetApproved):
                return
            case (.street, .streetApproved):
                throw refuse(.observationNotRecorded, "task \(p.taskID)'s observation is already street-approved")
            case (.district, .visited):
                throw refuse(.streetReviewFirst, "task \(p.taskID) needs the street review before the district's")
            }
        case .statusMarked(let p):
            guard rules.reasonCodes.allows(p.reasonCode, for: p.mark) else {
                throw refuse(.unknownReasonCode, "the reason code is not configured for \(p.mark)")
            }
        }
    }

    /// The state after `event`, when the rules allow it.
    /// - Throws: ``RuleViolation``; the state is unchanged.
    public func applying(_ event: RegistryEvent, effective: Timestamp, rules: RegistryRules = .default) throws(RuleViolation) -> PersonState {
        try check(event, rules: rules)
        var next = self
        next.apply(event, effective: effective)
        return next
    }
}
