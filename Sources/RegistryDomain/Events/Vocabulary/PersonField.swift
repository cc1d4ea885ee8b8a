/// A field of a person's data that a correction can change (002 art. 21).
///
/// The JSON form uses the case name; the binary form stores the case's index in `allCases`, so new cases
/// are added at the end only.
public enum PersonField: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible, CodedEnum {
    /// The name.
    case name
    /// The ethnicity.
    case ethnicity
    /// The phone number.
    case phone
    /// The household registration type (value: a HukouType name).
    case hukouType
    /// The household registration address.
    case hukouAddress
    /// The household registration division (value: a division code).
    case hukouDivision
    /// The residence address.
    case residenceAddress
    /// The residence division (value: a division code).
    case residenceDivision
    /// The employment status (value: an EmploymentStatus name).
    case employmentStatus
    /// Whether the person is alive (value: `alive` or `deceased`): how a wrongly recorded death is corrected.
    case vitalStatus

    /// The case name.
    public var description: String { rawValue }

    /// The cases in binary-code order (cached: `allCases` builds a new array on every call).
    public static let codedCases: [Self] = allCases
}
