/// A mark a person's case carries (标注, 003 二(一)2).
///
/// The JSON form uses the case name; the binary form stores the case's index in `allCases`, so new cases
/// are added at the end only.
public enum StatusMark: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible, CodedEnum {
    /// Unwilling to enrol (不愿参保).
    case unwilling
    /// Working elsewhere (外出务工).
    case workingElsewhere
    /// Studying (在校学习).
    case studying
    /// Deceased (死亡).
    case deceased
    /// In military service (服兵役).
    case militaryService
    /// Imprisoned (服刑).
    case imprisoned
    /// Insured elsewhere (异地参保).
    case insuredElsewhere

    /// The case name.
    public var description: String { rawValue }

    /// The cases in binary-code order (cached: `allCases` builds a new array on every call).
    public static let codedCases: [Self] = allCases
}
