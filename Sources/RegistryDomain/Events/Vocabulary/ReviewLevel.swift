/// Who reviews a survey observation (002 art. 20): the street first, then the district.
///
/// The JSON form uses the case name; the binary form stores the case's index in `allCases`, so new cases
/// are added at the end only.
public enum ReviewLevel: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible, CodedEnum {
    /// The street labour-service centre (街道劳服中心).
    case street
    /// The district social-insurance sub-centre (区社保分中心).
    case district

    /// The case name.
    public var description: String { rawValue }

    /// The cases in binary-code order (cached: `allCases` builds a new array on every call).
    public static let codedCases: [Self] = allCases
}
