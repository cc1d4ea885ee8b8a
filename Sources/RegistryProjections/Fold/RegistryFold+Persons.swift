import EventLog
import RegistryDomain

// Persons and their coverage: what the fold keeps of each person (flags, divisions, statuses) and what
// follows from it (area, exemption, whether they live in the area).

extension RegistryFold {
    /// Person flags.
    struct Flags: OptionSet, Hashable, Sendable {
        let rawValue: UInt32
        static let registered = Flags(rawValue: 1 << 0)
        static let deceasedFinding = Flags(rawValue: 1 << 1)
        static let inmate = Flags(rawValue: 1 << 2)
        static let insuredOtherProvince = Flags(rawValue: 1 << 3)
        static let studentFinding = Flags(rawValue: 1 << 4)
        static let employedFinding = Flags(rawValue: 1 << 5)
        static let residentFinding = Flags(rawValue: 1 << 6)
        static let surveyed = Flags(rawValue: 1 << 7)
        static let lowIncome = Flags(rawValue: 1 << 8)
        static let taxFiler = Flags(rawValue: 1 << 9)
        static let providentFund = Flags(rawValue: 1 << 10)
        static let unwilling = Flags(rawValue: 1 << 11)
        static let workingElsewhere = Flags(rawValue: 1 << 12)
        static let studyingMark = Flags(rawValue: 1 << 13)
        static let deceasedMark = Flags(rawValue: 1 << 14)
        static let military = Flags(rawValue: 1 << 15)
        static let imprisonedMark = Flags(rawValue: 1 << 16)
        static let insuredElsewhereMark = Flags(rawValue: 1 << 17)
        static let employedStatus = Flags(rawValue: 1 << 18)
        static let studentStatus = Flags(rawValue: 1 << 19)

        static let deceased: Flags = [.deceasedFinding, .deceasedMark]
    }


    /// Why someone needs no insurance here.
    public enum Exemption: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible, Codable {
        case deceased = 1, imprisoned, insuredElsewhere, militaryService
        public var description: String {
            switch self {
            case .deceased: "deceased"
            case .imprisoned: "imprisoned"
            case .insuredElsewhere: "insured elsewhere"
            case .militaryService: "military service"
            }
        }
    }


    @inline(__always)
    mutating func setStatus(_ f: inout Flags, _ employment: EmploymentStatus) {
        f.subtract([.employedStatus, .studentStatus])
        if employment == .employed { f.insert(.employedStatus) }
        if employment == .student { f.insert(.studentStatus) }
    }


    /// The person's area on the chosen basis (the other division when that one is unknown), padded 12 digits.
    @inline(__always)
    func area(of i: Int) -> UInt64 { area(persons[i]) }

    @inline(__always)
    func area(_ r: PersonRecord) -> UInt64 {
        switch settings.areaBasis {
        case .hukou: return r.hukou != 0 ? r.hukou : r.residence
        case .residence: return r.residence != 0 ? r.residence : r.hukou
        }
    }

    /// The 6-digit county part of a padded division, as a padded division (0 when unknown).
    @inline(__always)
    func county(_ padded: UInt64) -> UInt64 { padded / 1_000_000 * 1_000_000 }

    @inline(__always)
    func status(_ i: Int, _ t: InsuranceType) -> Coverage.Status {
        persons[i].status(t)
    }

    func hasActiveEnrolment(_ i: Int) -> Bool {
        persons[i].activeTypes & 0x7F != 0
    }

    /// Why the person needs no insurance, if they need none.
    func exemption(_ i: Int) -> Exemption? { exemption(persons[i]) }

    @inline(__always)
    func exemption(_ r: PersonRecord) -> Exemption? {
        let f = Flags(rawValue: r.flags)
        if !f.isDisjoint(with: Flags.deceased) { return .deceased }
        if f.contains(.inmate) || f.contains(.imprisonedMark) { return .imprisoned }
        if f.contains(.insuredOtherProvince) || f.contains(.insuredElsewhereMark) { return .insuredElsewhere }
        if f.contains(.military) { return .militaryService }
        return nil
    }

    /// Whether a source or a survey places the person in the area: the worklist's first condition.
    func livesInArea(_ i: Int) -> Bool {
        let f = Flags(rawValue: persons[i].flags)
        return persons[i].residence != 0 || f.contains(.residentFinding) || f.contains(.surveyed)
    }
}
