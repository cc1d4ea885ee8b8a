import Foundation
import EventLog

/// What a surveyor recorded on a visit: every field of 002 art. 19, who, when and on which device (art. 20).
///
/// Event type `SurveyObservationRecorded`, schema version 1. Lives in the person's stream, `person-<citizen ID>`.
public struct SurveyObservationRecorded: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "SurveyObservationRecorded"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The task visited.
    public var taskID: UUID
    /// The surveyors' ids (a team is normally two, art. 18).
    public var surveyorIDs: [String]
    /// The mobile device used (art. 20).
    public var deviceID: String
    /// When the visit took place.
    public var visitedAt: ISOTimestamp
    /// What the visit achieved.
    public var outcome: SurveyOutcome
    /// Name (姓名).
    public var name: PersonName
    /// Sex (性别).
    public var sex: Sex
    /// Citizen ID or other certificate number, as written (公民身份号码/证件号码).
    public var certificateNumber: CertificateNumber
    /// Ethnicity (民族).
    public var ethnicity: String
    /// Phone (联系电话).
    public var phone: PhoneNumber?
    /// Work unit (工作单位), as named.
    public var employerName: String
    /// The work unit's credit code, when known.
    public var employerCode: CreditCode?
    /// Household registration type (户口性质).
    public var hukouType: HukouType
    /// Household registration place (户籍地).
    public var hukouPlace: Address
    /// Usual residence (常住地).
    public var residence: Address
    /// Insurance types held (参保险种).
    public var insuranceTypes: [InsuranceType]
    /// Reason for not enrolling (未参保原因), a code of the reason list.
    public var reasonNotEnrolled: String
    /// Employment status (就业状态).
    public var employmentStatus: EmploymentStatus

    /// Creates the payload.
    public init(taskID: UUID, surveyorIDs: [String], deviceID: String, visitedAt: ISOTimestamp, outcome: SurveyOutcome, name: PersonName, sex: Sex, certificateNumber: CertificateNumber, ethnicity: String = "", phone: PhoneNumber? = nil, employerName: String = "", employerCode: CreditCode? = nil, hukouType: HukouType = .unknown, hukouPlace: Address, residence: Address, insuranceTypes: [InsuranceType] = [], reasonNotEnrolled: String = "", employmentStatus: EmploymentStatus = .unknown) {
        self.taskID = taskID
        self.surveyorIDs = surveyorIDs
        self.deviceID = deviceID
        self.visitedAt = visitedAt
        self.outcome = outcome
        self.name = name
        self.sex = sex
        self.certificateNumber = certificateNumber
        self.ethnicity = ethnicity
        self.phone = phone
        self.employerName = employerName
        self.employerCode = employerCode
        self.hukouType = hukouType
        self.hukouPlace = hukouPlace
        self.residence = residence
        self.insuranceTypes = insuranceTypes
        self.reasonNotEnrolled = reasonNotEnrolled
        self.employmentStatus = employmentStatus
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        taskID = try c.decode(UUID.self, forKey: .taskID)
        surveyorIDs = try c.decode([String].self, forKey: .surveyorIDs)
        deviceID = try c.decode(String.self, forKey: .deviceID)
        visitedAt = try c.decode(ISOTimestamp.self, forKey: .visitedAt)
        outcome = try c.decode(SurveyOutcome.self, forKey: .outcome)
        name = try c.decode(PersonName.self, forKey: .name)
        sex = try c.decode(Sex.self, forKey: .sex)
        certificateNumber = try c.decode(CertificateNumber.self, forKey: .certificateNumber)
        ethnicity = try c.decodeIfPresent(String.self, forKey: .ethnicity) ?? ""
        phone = try c.decodeIfPresent(PhoneNumber.self, forKey: .phone)
        employerName = try c.decodeIfPresent(String.self, forKey: .employerName) ?? ""
        employerCode = try c.decodeIfPresent(CreditCode.self, forKey: .employerCode)
        hukouType = try c.decodeIfPresent(HukouType.self, forKey: .hukouType) ?? .unknown
        hukouPlace = try c.decode(Address.self, forKey: .hukouPlace)
        residence = try c.decode(Address.self, forKey: .residence)
        insuranceTypes = try c.decodeIfPresent([InsuranceType].self, forKey: .insuranceTypes) ?? []
        reasonNotEnrolled = try c.decodeIfPresent(String.self, forKey: .reasonNotEnrolled) ?? ""
        employmentStatus = try c.decodeIfPresent(EmploymentStatus.self, forKey: .employmentStatus) ?? .unknown
    }
}
