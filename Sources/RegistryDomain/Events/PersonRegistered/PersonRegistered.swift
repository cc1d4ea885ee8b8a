import Foundation
import EventLog

/// A person entered the registry with their basic data (002 art. 7), from a source.
///
/// Event type `PersonRegistered`, schema version 1. Lives in the person's stream, `person-<citizen ID>`.
public struct PersonRegistered: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "PersonRegistered"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The citizen ID number; it names the stream and gives the birth date and sex.
    public var citizenID: CitizenID
    /// The name.
    public var name: PersonName
    /// The ethnicity (民族), such as `汉族`.
    public var ethnicity: String
    /// The household registration type.
    public var hukouType: HukouType
    /// The household registration address (户籍地址).
    public var hukouAddress: Address
    /// The household registration division, when known.
    public var hukouDivision: DivisionCode?
    /// The residence address (居住地址).
    public var residenceAddress: Address
    /// The residence division, when known: the survey worklists group by it.
    public var residenceDivision: DivisionCode?
    /// The phone number, when known.
    public var phone: PhoneNumber?
    /// The employment status.
    public var employmentStatus: EmploymentStatus
    /// Where the data came from.
    public var source: Department

    /// Creates the payload.
    public init(citizenID: CitizenID, name: PersonName, ethnicity: String = "", hukouType: HukouType = .unknown, hukouAddress: Address, hukouDivision: DivisionCode? = nil, residenceAddress: Address, residenceDivision: DivisionCode? = nil, phone: PhoneNumber? = nil, employmentStatus: EmploymentStatus = .unknown, source: Department) {
        self.citizenID = citizenID
        self.name = name
        self.ethnicity = ethnicity
        self.hukouType = hukouType
        self.hukouAddress = hukouAddress
        self.hukouDivision = hukouDivision
        self.residenceAddress = residenceAddress
        self.residenceDivision = residenceDivision
        self.phone = phone
        self.employmentStatus = employmentStatus
        self.source = source
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        citizenID = try c.decode(CitizenID.self, forKey: .citizenID)
        name = try c.decode(PersonName.self, forKey: .name)
        ethnicity = try c.decodeIfPresent(String.self, forKey: .ethnicity) ?? ""
        hukouType = try c.decodeIfPresent(HukouType.self, forKey: .hukouType) ?? .unknown
        hukouAddress = try c.decode(Address.self, forKey: .hukouAddress)
        hukouDivision = try c.decodeIfPresent(DivisionCode.self, forKey: .hukouDivision)
        residenceAddress = try c.decode(Address.self, forKey: .residenceAddress)
        residenceDivision = try c.decodeIfPresent(DivisionCode.self, forKey: .residenceDivision)
        phone = try c.decodeIfPresent(PhoneNumber.self, forKey: .phone)
        employmentStatus = try c.decodeIfPresent(EmploymentStatus.self, forKey: .employmentStatus) ?? .unknown
        source = try c.decode(Department.self, forKey: .source)
    }
}
