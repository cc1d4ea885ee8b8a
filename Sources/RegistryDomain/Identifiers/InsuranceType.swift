/// The seven insurance types (险种) a person holds independently.
///
/// The raw value is the registry's own stable number, used in the binary form; numeric codes used by the
/// provinces differ and live in an ``InsuranceCodeTable``. The JSON form uses ``name``.
public enum InsuranceType: UInt8, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// Employee basic pension (职工基本养老保险).
    case employeePension = 1
    /// Urban-rural resident basic pension (城乡居民基本养老保险).
    case residentPension = 2
    /// Employee basic medical insurance (职工基本医疗保险).
    case employeeMedical = 3
    /// Urban-rural resident basic medical insurance (城乡居民基本医疗保险).
    case residentMedical = 4
    /// Work injury insurance (工伤保险).
    case workInjury = 5
    /// Unemployment insurance (失业保险).
    case unemployment = 6
    /// Maternity insurance (生育保险).
    case maternity = 7

    /// The stable name used in JSON: `employeePension`, `residentMedical`, ...
    public var name: String {
        switch self {
        case .employeePension: "employeePension"
        case .residentPension: "residentPension"
        case .employeeMedical: "employeeMedical"
        case .residentMedical: "residentMedical"
        case .workInjury: "workInjury"
        case .unemployment: "unemployment"
        case .maternity: "maternity"
        }
    }

    /// The Chinese name.
    public var chineseName: String {
        switch self {
        case .employeePension: "职工基本养老保险"
        case .residentPension: "城乡居民基本养老保险"
        case .employeeMedical: "职工基本医疗保险"
        case .residentMedical: "城乡居民基本医疗保险"
        case .workInjury: "工伤保险"
        case .unemployment: "失业保险"
        case .maternity: "生育保险"
        }
    }

    /// Whether the type is a resident scheme, joined as a resident rather than through work.
    public var isResidentScheme: Bool { self == .residentPension || self == .residentMedical }

    /// The type with this stable name.
    public init?(name: String) {
        guard let t = InsuranceType.allCases.first(where: { $0.name == name }) else { return nil }
        self = t
    }

    /// The stable name.
    public var description: String { name }

    /// Orders by the stable raw value.
    public static func < (lhs: InsuranceType, rhs: InsuranceType) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension InsuranceType: Codable {
    /// Encodes the stable name.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }

    /// Decodes a stable name, or a numeric code of the default ``InsuranceCodeTable``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        if let t = InsuranceType(name: text) ?? InsuranceCodeTable.default.type(forCode: text) {
            self = t
        } else {
            throw FieldProblem.at(c.codingPath, .invalidInsuranceType, "neither an insurance type name nor a code of the default table")
        }
    }
}
