/// A person's employment status (002 art. 7, 25).
///
/// The JSON form uses the case name; the binary form stores the case's index in `allCases`, so new cases
/// are added at the end only.
public enum EmploymentStatus: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible, CodedEnum {
    /// Employed by an employer.
    case employed
    /// Flexibly employed or self-employed.
    case flexiblyEmployed
    /// Unemployed.
    case unemployed
    /// A student.
    case student
    /// Retired.
    case retired
    /// Not known.
    case unknown

    /// The case name.
    public var description: String { rawValue }

    /// The cases in binary-code order (cached: `allCases` builds a new array on every call).
    public static let codedCases: [Self] = allCases
}
