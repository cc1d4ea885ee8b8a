/// The nature of a household registration (户口性质).
///
/// The JSON form uses the case name; the binary form stores the case's index in `allCases`, so new cases
/// are added at the end only.
public enum HukouType: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible, CodedEnum {
    /// Agricultural (农业户口).
    case agricultural
    /// Non-agricultural (非农业户口).
    case nonAgricultural
    /// Unified resident registration (居民户口), after the reform.
    case unified
    /// Not known.
    case unknown

    /// The case name.
    public var description: String { rawValue }

    /// The cases in binary-code order (cached: `allCases` builds a new array on every call).
    public static let codedCases: [Self] = allCases
}
