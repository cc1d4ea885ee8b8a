/// How a person joins an insurance type.
///
/// The JSON form uses the case name; the binary form stores the case's index in `allCases`, so new cases
/// are added at the end only.
public enum EnrolmentRoute: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible, CodedEnum {
    /// Through an employer (单位参保).
    case employer
    /// As a flexibly employed individual (灵活就业).
    case flexibleEmployment
    /// As a resident, in a resident scheme (城乡居民).
    case resident

    /// The case name.
    public var description: String { rawValue }

    /// The cases in binary-code order (cached: `allCases` builds a new array on every call).
    public static let codedCases: [Self] = allCases
}
