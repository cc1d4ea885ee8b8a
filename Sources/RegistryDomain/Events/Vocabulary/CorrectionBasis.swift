/// On what a correction rests (002 art. 21: the declaration of an employer or the person).
///
/// The JSON form uses the case name; the binary form stores the case's index in `allCases`, so new cases
/// are added at the end only.
public enum CorrectionBasis: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible, CodedEnum {
    /// The person's own declaration.
    case personalDeclaration
    /// The employer's declaration.
    case employerDeclaration
    /// A reviewed survey observation.
    case surveyFinding
    /// Another department's data.
    case sourceData

    /// The case name.
    public var description: String { rawValue }

    /// The cases in binary-code order (cached: `allCases` builds a new array on every call).
    public static let codedCases: [Self] = allCases
}
