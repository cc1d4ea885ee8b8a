/// Why an enrolment ends.
///
/// The JSON form uses the case name; the binary form stores the case's index in `allCases`, so new cases
/// are added at the end only.
public enum TerminationReason: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible, CodedEnum {
    /// The person died.
    case death
    /// The person settled abroad.
    case emigration
    /// The enrolment duplicated another and is cleaned (003 二(一)).
    case duplicateRecord
    /// Pension benefits began (contributions end).
    case benefitStarted
    /// Another reason.
    case other

    /// The case name.
    public var description: String { rawValue }

    /// The cases in binary-code order (cached: `allCases` builds a new array on every call).
    public static let codedCases: [Self] = allCases
}
