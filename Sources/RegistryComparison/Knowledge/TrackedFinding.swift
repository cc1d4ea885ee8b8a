import RegistryDomain

/// A (department, finding) pair the comparison keeps track of per person: whether the department's latest word
/// is that the finding holds. Each has a bit in ``KnownPerson/findings``.
public enum TrackedFinding: UInt8, Sendable, Hashable, CaseIterable, Codable {
    /// Public security: lives here.
    case resident
    /// Civil affairs: died.
    case deceased
    /// Civil affairs: receives low-income support.
    case lowIncome
    /// Tax: filed income tax.
    case taxFiler
    /// Tax: employed at the withholding employer.
    case taxEmployer
    /// Education: a student.
    case student
    /// Prison administration: an inmate.
    case inmate
    /// Housing provident fund: a contributor.
    case providentFundContributor
    /// Housing provident fund: employed at the contributing employer.
    case providentFundEmployer
    /// Employment registration: employed at the employer.
    case employmentEmployer
    /// The national database: insured in another province.
    case insuredInOtherProvince

    /// The department reporting it.
    public var department: Department {
        switch self {
        case .resident: .publicSecurity
        case .deceased, .lowIncome: .civilAffairs
        case .taxFiler, .taxEmployer: .tax
        case .student: .education
        case .inmate: .prison
        case .providentFundContributor, .providentFundEmployer: .providentFund
        case .employmentEmployer: .employment
        case .insuredInOtherProvince: .otherProvince
        }
    }

    /// The finding as recorded in the log.
    public var finding: SourceFinding {
        switch self {
        case .resident: .resident
        case .deceased: .deceased
        case .lowIncome: .lowIncome
        case .taxFiler: .taxFiler
        case .student: .student
        case .inmate: .inmate
        case .providentFundContributor: .providentFundContributor
        case .taxEmployer, .providentFundEmployer, .employmentEmployer: .employedAt
        case .insuredInOtherProvince: .insuredInOtherProvince
        }
    }

    /// The bit of this finding in ``KnownPerson/findings``.
    @inlinable public var bit: UInt32 { 1 << UInt32(rawValue) }

    /// Whether the finding names an employer (whose change is a change of finding).
    public var namesEmployer: Bool { finding == .employedAt }

    /// The tracked pair of a department's finding, or nil for pairs the comparison does not follow.
    public init?(department: Department, finding: SourceFinding) {
        guard let match = Self.byPair[Int(Department.codedCases.firstIndex(of: department)!) * 16 + Int(SourceFinding.codedCases.firstIndex(of: finding)!)] else { return nil }
        self = match
    }

    private static let byPair: [TrackedFinding?] = {
        var table = [TrackedFinding?](repeating: nil, count: Department.codedCases.count * 16)
        for t in TrackedFinding.allCases {
            table[Department.codedCases.firstIndex(of: t.department)! * 16 + SourceFinding.codedCases.firstIndex(of: t.finding)!] = t
        }
        return table
    }()
}
