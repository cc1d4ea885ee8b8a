/// What a department's data says about a person.
///
/// The JSON form uses the case name; the binary form stores the case's index in `allCases`, so new cases
/// are added at the end only.
public enum SourceFinding: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible, CodedEnum {
    /// Lives here (household registration or residence permit).
    case resident
    /// Filed individual income tax.
    case taxFiler
    /// Is a student.
    case student
    /// Is an inmate: needs no survey (002 art. 14).
    case inmate
    /// Has died (funeral records).
    case deceased
    /// Receives low-income or hardship support.
    case lowIncome
    /// Contributes to the housing provident fund.
    case providentFundContributor
    /// Is employed at an employer (given by its credit code).
    case employedAt
    /// Is insured in another province: needs no survey (002 art. 14).
    case insuredInOtherProvince

    /// The case name.
    public var description: String { rawValue }

    /// The cases in binary-code order (cached: `allCases` builds a new array on every call).
    public static let codedCases: [Self] = allCases
}
