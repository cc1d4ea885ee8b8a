import RegistryDomain

/// The format of one department's extract (a feed): which department sends it, its columns, and what its rows
/// mean to the registry.
///
/// Every feed is a CSV file with a header row (UTF-8 or GB18030), one record per line. Column names are matched
/// exactly, in any order; extra columns are ignored. The columns of every kind are listed in README and
/// docs/FEEDS.md.
public enum FeedKind: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Public security: the population extract (household registration and residence), with the registration
    /// fields; persons not yet known are registered from it.
    case policePopulation = "police-population"
    /// Civil affairs: deaths (funeral records), each with its date of death.
    case civilAffairsDeaths = "civil-affairs-deaths"
    /// Civil affairs: low-income and hardship support recipients.
    case civilAffairsLowIncome = "civil-affairs-low-income"
    /// Tax: individual income-tax filers, with the withholding employer's credit code.
    case tax
    /// Education: students enrolled in a school.
    case education
    /// Prison administration: inmates held today.
    case prison
    /// Housing provident fund: contributors, with the employer's credit code.
    case providentFund = "provident-fund"
    /// Market regulation: registered employers (the employer streams).
    case marketRegulation = "market-regulation"
    /// Human resources: employment registrations, with the employer's credit code.
    case employment
    /// The national database: persons insured in another province.
    case otherProvince = "other-province"
    /// The social-insurance agency's own enrolment extract: enrolments and their payment status.
    case socialInsurance = "social-insurance"

    /// The feed kind's name, as given to `registry compare --source`.
    public var description: String { rawValue }

    /// The department that sends the feed.
    public var department: Department {
        switch self {
        case .policePopulation: .publicSecurity
        case .civilAffairsDeaths, .civilAffairsLowIncome: .civilAffairs
        case .tax: .tax
        case .education: .education
        case .prison: .prison
        case .providentFund: .providentFund
        case .marketRegulation: .marketRegulation
        case .employment: .employment
        case .otherProvince: .otherProvince
        case .socialInsurance: .socialInsurance
        }
    }

    /// The findings the feed reports about the persons it lists (empty for the employer and enrolment feeds).
    public var findings: [TrackedFinding] {
        switch self {
        case .policePopulation: [.resident]
        case .civilAffairsDeaths: [.deceased]
        case .civilAffairsLowIncome: [.lowIncome]
        case .tax: [.taxFiler, .taxEmployer]
        case .education: [.student]
        case .prison: [.inmate]
        case .providentFund: [.providentFundContributor, .providentFundEmployer]
        case .marketRegulation: []
        case .employment: [.employmentEmployer]
        case .otherProvince: [.insuredInOtherProvince]
        case .socialInsurance: []
        }
    }

    /// Whether the feed is a full list of what the department reports today, so that a person it no longer lists
    /// no longer has its findings (a prisoner released, a student graduated): those are recorded as ended.
    ///
    /// Deaths are events, not a state, and the population extract may cover part of the city only; the employer
    /// and enrolment feeds carry no findings.
    public var endsUnlistedFindings: Bool {
        switch self {
        case .policePopulation, .civilAffairsDeaths, .marketRegulation, .socialInsurance: false
        default: true
        }
    }

    /// The feed's columns, in the order a writer would put them.
    public var columns: [FeedColumn] {
        let id = FeedColumn("id_number", "公民身份号码: 18 characters (a 15-digit legacy number and a lower-case x are accepted)")
        let employer = FeedColumn("employer_credit_code", "统一社会信用代码 of the employer: 18 characters")
        switch self {
        case .policePopulation:
            return [
                id,
                FeedColumn("name", "姓名"),
                FeedColumn("ethnicity", "民族, such as 汉族", required: false),
                FeedColumn("hukou_type", "户口性质: agricultural, nonAgricultural, unified or unknown (also 农业, 非农业, 统一, blank)", required: false),
                FeedColumn("hukou_division", "户籍地 division code: 6, 9 or 12 digits", required: false),
                FeedColumn("hukou_address", "户籍地址", required: false),
                FeedColumn("residence_division", "居住地 division code: 6, 9 or 12 digits", required: false),
                FeedColumn("residence_address", "居住地址", required: false),
                FeedColumn("phone", "联系电话", required: false),
            ]
        case .civilAffairsDeaths:
            return [id, FeedColumn("death_date", "死亡日期: YYYY-MM-DD (the finding takes effect on it)")]
        case .civilAffairsLowIncome:
            return [id, FeedColumn("division", "the division paying the support: 6, 9 or 12 digits", required: false)]
        case .tax:
            return [id, FeedColumn("employer_credit_code", "the withholding employer's 统一社会信用代码 (blank for a self-filer)", required: false)]
        case .education:
            return [id, FeedColumn("school", "学校名称", required: false), FeedColumn("division", "the school's division code", required: false)]
        case .prison:
            return [id, FeedColumn("admitted_on", "入监日期: YYYY-MM-DD (the finding takes effect on it)", required: false)]
        case .providentFund:
            return [id, employer]
        case .marketRegulation:
            return [
                FeedColumn("credit_code", "统一社会信用代码: 18 characters"),
                FeedColumn("name", "企业名称"),
                FeedColumn("division", "registered division code: 6, 9 or 12 digits"),
                FeedColumn("labour_dispatch", "劳务派遣: yes/no, true/false, 1/0 or 是/否", required: false),
            ]
        case .employment:
            return [id, employer, FeedColumn("registered_on", "就业登记日期: YYYY-MM-DD (the finding takes effect on it)", required: false)]
        case .otherProvince:
            return [id, FeedColumn("province", "the province insuring the person: a 6-digit division code such as 440000")]
        case .socialInsurance:
            return [
                id,
                FeedColumn("insurance_type", "employeePension, residentPension, employeeMedical, residentMedical, workInjury, unemployment or maternity"),
                FeedColumn("status", "paying or interrupted"),
                FeedColumn("route", "employer, flexibleEmployment or resident (default: employer when an employer is given, else resident for a resident scheme, else flexibleEmployment)", required: false),
                FeedColumn("employer_credit_code", "the employer's 统一社会信用代码 (required with route employer)", required: false),
                FeedColumn("division", "the insuring agency's division code", required: false),
                FeedColumn("since", "YYYY-MM-DD: when the enrolment or the status began (the fact takes effect on it)", required: false),
            ]
        }
    }

    /// Reads a feed kind from its name, its department's name, or a short alias (`police`, `deaths`, `low-income`,
    /// `prisons`, `housing-fund`, `market`, `insurance`).
    public init?(name: String) {
        let n = name.lowercased()
        if let kind = FeedKind(rawValue: n) { self = kind; return }
        switch n {
        case "police", "public-security", "publicsecurity", "population": self = .policePopulation
        case "deaths", "civil-affairs-death": self = .civilAffairsDeaths
        case "low-income", "lowincome": self = .civilAffairsLowIncome
        case "prisons", "inmates": self = .prison
        case "providentfund", "housing-fund", "housing-provident-fund": self = .providentFund
        case "market", "marketregulation": self = .marketRegulation
        case "employment-registration": self = .employment
        case "otherprovince", "other-provinces": self = .otherProvince
        case "insurance", "enrolment", "socialinsurance", "social-insurance-enrolment": self = .socialInsurance
        default: return nil
        }
    }
}
