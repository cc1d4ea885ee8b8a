extension PersonStanding {
    /// Advances the standing by one fact. Survey-task facts change only the `surveyed` flag here; each task's own
    /// state is a ``SurveyTask/State``, advanced by its holder.
    /// - Parameter fact: the fact, as recorded (rules are checked before appending, not here: a fact in the log is
    ///   folded whatever it says).
    @inlinable
    public mutating func apply(_ fact: PersonFact) {
        let wasDeceased = isDeceased
        switch fact {
        case .registered(let h, let r, let employment):
            flags.insert(.registered)
            if h != 0 { hukou = h }
            if r != 0 { residence = r }
            setEmployment(employment)
        case .corrected(let h, let r, let deceased, let employment):
            if let h { hukou = h }
            if let r { residence = r }
            if let deceased {
                if deceased { flags.insert(.deceasedMark) } else { flags.subtract(Flags.deceased) }
            }
            if let employment { setEmployment(employment) }
        case .observed(let finding):
            flags.insert(Self.flag(finding))
        case .findingEnded(let finding):
            if finding != .deceased { flags.remove(Self.flag(finding)) }
        case .enrolled(let t, let division):
            enrol(t)
            if division != 0 { agency = division }
        case .resumed(let t), .transferredIn(let t):
            enrol(t)
        case .interrupted(let t):
            setStatus(t, .interrupted)
        case .terminated(let t):
            setStatus(t, .terminated)
            statuses &= ~UInt64(1 << (t.rawValue - 1))  // an explicit end: an undone death does not restore it
        case .transferredOut(let t):
            setStatus(t, .transferredOut)
            statuses &= ~UInt64(1 << (t.rawValue - 1))
        case .marked(let mark):
            flags.insert(Self.flag(mark))
        case .markWithdrawn(let mark):
            if mark != .deceased { flags.remove(Self.flag(mark)) }
        case .visited(_, let outcome):
            if outcome == .completed { flags.insert(.surveyed) }
        case .taskDispatched, .reviewed:
            break
        }
        let deceased = isDeceased
        if deceased, !wasDeceased { endEnrolmentsAtDeath() }
        if !deceased, wasDeceased { restoreEnrolmentsEndedByDeath() }
    }

    @inlinable
    mutating func enrol(_ t: InsuranceType) {
        setStatus(t, .enrolled)
        statuses &= ~UInt64(1 << (t.rawValue - 1))
    }

    @inlinable
    mutating func setEmployment(_ employment: EmploymentStatus) {
        flags.subtract([.employedStatus, .studentStatus])
        if employment == .employed { flags.insert(.employedStatus) }
        if employment == .student { flags.insert(.studentStatus) }
    }

    /// Death ends every active enrolment from its date: each becomes terminated, remembered (with whether it was
    /// interrupted) so that a correction back to alive can restore it.
    @inlinable
    mutating func endEnrolmentsAtDeath() {
        let active = activeTypes, interrupted = interruptedTypes
        guard active != 0 else { return }
        for t in InsuranceType.allCases where active & (1 << (t.rawValue - 1)) != 0 { setStatus(t, .terminated) }
        statuses = statuses & ~0xFF | UInt64(active)
        flags = Flags(rawValue: flags.rawValue & ~(0x7F << Flags.interruptedAtDeathShift)
            | UInt32(interrupted) << Flags.interruptedAtDeathShift)
    }

    /// A wrong death undone: the enrolments the death ended (and nothing since changed) are active again.
    @inlinable
    mutating func restoreEnrolmentsEndedByDeath() {
        let ended = endedByDeath
        let interrupted = UInt8(truncatingIfNeeded: flags.rawValue >> Flags.interruptedAtDeathShift) & 0x7F
        for t in InsuranceType.allCases where ended & (1 << (t.rawValue - 1)) != 0 && status(t) == .terminated {
            setStatus(t, interrupted & (1 << (t.rawValue - 1)) != 0 ? .interrupted : .enrolled)
        }
        statuses &= ~0xFF
        flags = Flags(rawValue: flags.rawValue & ~(0x7F << Flags.interruptedAtDeathShift))
    }

    /// The flag of a comparison finding.
    @inlinable
    static func flag(_ finding: SourceFinding) -> Flags {
        switch finding {
        case .resident: .residentFinding
        case .taxFiler: .taxFiler
        case .student: .studentFinding
        case .inmate: .inmate
        case .deceased: .deceasedFinding
        case .lowIncome: .lowIncome
        case .providentFundContributor: .providentFund
        case .employedAt: .employedFinding
        case .insuredInOtherProvince: .insuredOtherProvince
        }
    }

    /// The flag of a mark.
    @inlinable
    static func flag(_ mark: StatusMark) -> Flags {
        switch mark {
        case .unwilling: .unwilling
        case .workingElsewhere: .workingElsewhere
        case .studying: .studyingMark
        case .deceased: .deceasedMark
        case .militaryService: .military
        case .imprisoned: .imprisonedMark
        case .insuredElsewhere: .insuredElsewhereMark
        }
    }

    /// Whether a mark is set.
    @inlinable public func has(_ mark: StatusMark) -> Bool { flags.contains(Self.flag(mark)) }
    /// Whether a finding is reported (and not ended).
    @inlinable public func has(_ finding: SourceFinding) -> Bool { flags.contains(Self.flag(finding)) }
}
