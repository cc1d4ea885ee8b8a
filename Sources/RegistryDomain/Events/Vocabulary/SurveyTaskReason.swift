/// Why a person is dispatched for a door-to-door survey.
///
/// The JSON form uses the case name; the binary form stores the case's index in `allCases`, so new cases
/// are added at the end only.
public enum SurveyTaskReason: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible, CodedEnum {
    /// Still not enrolled after comparison with the departments' data (002 art. 15).
    case unenrolledAfterComparison
    /// A new un-enrolled person found in dynamic management (002 art. 29).
    case newlyUnenrolled
    /// An interrupted contributor to follow up (002 art. 30).
    case contributionInterrupted
    /// The person's data is incomplete or conflicting.
    case dataIncomplete

    /// The case name.
    public var description: String { rawValue }

    /// The cases in binary-code order (cached: `allCases` builds a new array on every call).
    public static let codedCases: [Self] = allCases
}
