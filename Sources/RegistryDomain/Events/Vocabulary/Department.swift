/// A department whose data the registry compares with the enrolment data (002 art. 9-14), or the registry's own sources.
///
/// The JSON form uses the case name; the binary form stores the case's index in `allCases`, so new cases
/// are added at the end only.
public enum Department: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible, CodedEnum {
    /// Public security: household registration (公安户籍).
    case publicSecurity
    /// Civil affairs: low-income, hardship and funeral records (民政).
    case civilAffairs
    /// Tax: individual income-tax filings (税务).
    case tax
    /// Education: students in school or kindergarten (教育).
    case education
    /// Prison administration: inmates (监狱管理).
    case prison
    /// Housing provident fund (公积金).
    case providentFund
    /// Market regulation: business registrations (市场监管).
    case marketRegulation
    /// Human resources: employment registration, contracts, training (就业登记).
    case employment
    /// The national database: insured in another province (外省市参保).
    case otherProvince
    /// The social-insurance agency's own enrolment data (社保经办).
    case socialInsurance
    /// A door-to-door survey (入户调查).
    case survey

    /// The case name.
    public var description: String { rawValue }

    /// The cases in binary-code order (cached: `allCases` builds a new array on every call).
    public static let codedCases: [Self] = allCases
}
