import EventLog

/// What a person's facts mean: the one state machine that the command rules (``PersonState``) and the views' fold
/// (`RegistryFold` in RegistryProjections) both run, so the two cannot disagree.
///
/// A small value (39 bytes, no references) that `apply(_:effective:)` advances by one ``PersonFact``:
/// - per insurance type, a ``Coverage/Status``: not enrolled → enrolled ⇄ interrupted → terminated or transferred
///   out, and enrolled again (a new enrolment, a transfer in);
/// - **death** (a civil-affairs finding, a `deceased` mark or a vital-status correction) ends every active
///   enrolment from its effective date; a correction back to alive restores what the death ended (and nothing a
///   later fact changed);
/// - findings from the comparisons, set by ``SourceObservationRecorded`` and ended by ``SourceFindingEnded``;
/// - marks, set by ``StatusMarked`` and withdrawn by ``StatusMarkWithdrawn``;
/// - hukou, residence and insuring-agency divisions (padded to 12 digits, 0 when unknown), employment status.
///
/// What follows from it (``exemption``, ``isEmployed``, ``livesInArea``, ``activeTypes`` …) is computed here and
/// nowhere else. Survey tasks are kept per task by their holders (``SurveyTask``, whose transitions are shared too).
public struct PersonStanding: Hashable, Sendable, BitwiseCopyable {
    /// Findings, marks and statuses, one bit each.
    public struct Flags: OptionSet, Hashable, Sendable, BitwiseCopyable {
        public let rawValue: UInt32
        @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let registered = Flags(rawValue: 1 << 0)
        public static let deceasedFinding = Flags(rawValue: 1 << 1)
        public static let inmate = Flags(rawValue: 1 << 2)
        public static let insuredOtherProvince = Flags(rawValue: 1 << 3)
        public static let studentFinding = Flags(rawValue: 1 << 4)
        public static let employedFinding = Flags(rawValue: 1 << 5)
        public static let residentFinding = Flags(rawValue: 1 << 6)
        public static let surveyed = Flags(rawValue: 1 << 7)
        public static let lowIncome = Flags(rawValue: 1 << 8)
        public static let taxFiler = Flags(rawValue: 1 << 9)
        public static let providentFund = Flags(rawValue: 1 << 10)
        public static let unwilling = Flags(rawValue: 1 << 11)
        public static let workingElsewhere = Flags(rawValue: 1 << 12)
        public static let studyingMark = Flags(rawValue: 1 << 13)
        public static let deceasedMark = Flags(rawValue: 1 << 14)
        public static let military = Flags(rawValue: 1 << 15)
        public static let imprisonedMark = Flags(rawValue: 1 << 16)
        public static let insuredElsewhereMark = Flags(rawValue: 1 << 17)
        public static let employedStatus = Flags(rawValue: 1 << 18)
        public static let studentStatus = Flags(rawValue: 1 << 19)
        /// Bits 24-30: the types (bit *t − 1*) whose enrolment was interrupted when a death ended it.
        @usableFromInline static let interruptedAtDeathShift: UInt32 = 24

        /// Any record of death.
        public static let deceased: Flags = [.deceasedFinding, .deceasedMark]
    }

    /// Household-registration division, padded to 12 digits; 0 when unknown.
    public var hukou: UInt64 = 0
    /// Residence division, padded to 12 digits; 0 when unknown.
    public var residence: UInt64 = 0
    /// The division of the agency or employer of the latest enrolment that named one (seed 004 annex 3); 0 when none.
    public var agency: UInt64 = 0
    /// Byte *t* (1…7) holds the ``Coverage/Status`` of insurance type *t*; byte 0 the types (bit *t − 1*) whose
    /// active enrolment a death ended.
    @inlinable public var coverage: UInt64 { statuses }
    @usableFromInline var statuses: UInt64 = 0
    /// Findings, marks and statuses.
    public var flags: Flags = []
    /// Bit *t − 1* for each type enrolled or interrupted, interrupted, transferred out: kept with `coverage` so the
    /// replay never loops over the types to ask.
    @usableFromInline var activeMask: UInt8 = 0
    @usableFromInline var interruptedMask: UInt8 = 0
    @usableFromInline var transferredOutMask: UInt8 = 0

    /// Nothing known.
    @inlinable public init() {}

    /// Field by field (the masks follow from the statuses).
    @inlinable
    public static func == (a: PersonStanding, b: PersonStanding) -> Bool {
        a.statuses == b.statuses && a.flags.rawValue == b.flags.rawValue && a.residence == b.residence && a.hukou == b.hukou
            && a.agency == b.agency
    }

    /// Whether this is a value the state machine could have made: every status byte names a status and the masks
    /// kept beside them follow from them. A standing copied in from outside (a checkpoint's bytes) is checked with it.
    public var isWellFormed: Bool {
        let rebuilt = PersonStanding(hukou: hukou, residence: residence, agency: agency, coverage: statuses, flags: flags)
        return rebuilt.statuses == statuses && rebuilt.activeMask == activeMask && rebuilt.interruptedMask == interruptedMask
            && rebuilt.transferredOutMask == transferredOutMask
    }

    /// A standing restored from its parts (a checkpoint).
    public init(hukou: UInt64, residence: UInt64, agency: UInt64, coverage: UInt64, flags: Flags) {
        self.hukou = hukou
        self.residence = residence
        self.agency = agency
        self.flags = flags
        self.statuses = coverage & 0xFF
        for t in InsuranceType.allCases {
            setStatus(t, Coverage.Status(rawValue: UInt8(truncatingIfNeeded: coverage >> (8 * UInt64(t.rawValue)))) ?? .notEnrolled)
        }
    }

    /// The status in one insurance type.
    @inlinable
    public func status(_ t: InsuranceType) -> Coverage.Status {
        Coverage.Status(rawValue: UInt8(truncatingIfNeeded: coverage >> (8 * UInt64(t.rawValue)))) ?? .notEnrolled
    }

    @inlinable
    mutating func setStatus(_ t: InsuranceType, _ s: Coverage.Status) {
        let shift = 8 * UInt64(t.rawValue)
        statuses = statuses & ~(0xFF << shift) | UInt64(s.rawValue) << shift
        let bit = UInt8(1) << (t.rawValue - 1)
        activeMask = s == .enrolled || s == .interrupted ? activeMask | bit : activeMask & ~bit
        interruptedMask = s == .interrupted ? interruptedMask | bit : interruptedMask & ~bit
        transferredOutMask = s == .transferredOut ? transferredOutMask | bit : transferredOutMask & ~bit
    }

    /// Bit *t − 1* for each type enrolled or interrupted.
    @inlinable public var activeTypes: UInt8 { activeMask }
    /// Bit *t − 1* for each type interrupted.
    @inlinable public var interruptedTypes: UInt8 { interruptedMask }
    /// Bit *t − 1* for each type transferred out to another region.
    @inlinable public var transferredOutTypes: UInt8 { transferredOutMask }
    /// Bit *t − 1* for each type whose enrolment a death ended.
    @inlinable public var endedByDeath: UInt8 { UInt8(truncatingIfNeeded: coverage) }

    /// Whether a death is recorded and not undone.
    @inlinable public var isDeceased: Bool { !flags.isDisjoint(with: Flags.deceased) }
    /// Whether a source (tax, provident fund, employment registration) or the person's data shows them employed.
    @inlinable public var isEmployed: Bool { flags.contains(.employedFinding) || flags.contains(.employedStatus) }
    /// Whether a source, a mark or the person's data shows them studying.
    @inlinable public var isStudent: Bool {
        flags.contains(.studentFinding) || flags.contains(.studyingMark) || flags.contains(.studentStatus)
    }
    /// Whether basic data is registered.
    @inlinable public var isRegistered: Bool { flags.contains(.registered) }
    /// Whether a source or a survey places the person in the area: a residence division, a `resident` finding or a
    /// completed visit (the survey worklist's first condition).
    @inlinable public var livesInArea: Bool { residence != 0 || flags.contains(.residentFinding) || flags.contains(.surveyed) }

    /// Why the person needs no insurance here, if they need none: deceased; imprisoned; insured elsewhere (a
    /// finding, a mark, or every enrolment held here transferred out and none active); in military service.
    @inlinable
    public var exemption: Exemption? {
        if isDeceased { return .deceased }
        if flags.contains(.inmate) || flags.contains(.imprisonedMark) { return .imprisoned }
        if flags.contains(.insuredOtherProvince) || flags.contains(.insuredElsewhereMark) { return .insuredElsewhere }
        if transferredOutTypes != 0, activeTypes == 0 { return .insuredElsewhere }
        if flags.contains(.military) { return .militaryService }
        return nil
    }

    /// The person's division on a counting basis, padded to 12 digits (0: unknown).
    ///
    /// - `residence`: where they live, else where their hukou is (people found only by household registration are
    ///   presumed to live there);
    /// - `hukou`: where their hukou is; unknown when it is unknown (never where they live);
    /// - `insuringAgency`: the division of the agency or employer of their enrolment, else where they live.
    @inlinable
    public func area(_ basis: AreaBasis) -> UInt64 {
        switch basis {
        case .residence: residence != 0 ? residence : hukou
        case .hukou: hukou
        case .insuringAgency: agency != 0 && activeTypes != 0 ? agency : (residence != 0 ? residence : hukou)
        }
    }
}

/// Where a person is counted.
public enum AreaBasis: String, Sendable, Hashable, CaseIterable {
    /// Where their household is registered (户籍地); `unknown` when it is not known.
    case hukou
    /// Where they live (居住地), else where their household is registered.
    case residence
    /// Where the agency or employer through which they are enrolled is (参保地, seed 004 annex 3); people with no
    /// active enrolment count where they live.
    case insuringAgency = "agency"
}
