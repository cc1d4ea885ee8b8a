import Foundation
import EventLog

/// An employer was registered as an insured unit (参保单位登记) with a social-insurance agency.
///
/// Event type `EmployerInsuredUnitRegistered`, schema version 1. Lives in the employer's stream,
/// `employer-<credit code>`, after its `EmployerRegistered`. An employer with this fact is no longer "never insured".
public struct EmployerInsuredUnitRegistered: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "EmployerInsuredUnitRegistered"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The agency's number for the insured unit (参保单位编号).
    public var unitNumber: String
    /// The division of the agency that insures it (the district it pays in).
    public var agencyDivision: DivisionCode
    /// The insurance types it is registered for (empty: not stated).
    public var insuranceTypes: [InsuranceType]

    /// Creates the payload.
    public init(unitNumber: String, agencyDivision: DivisionCode, insuranceTypes: [InsuranceType] = []) {
        self.unitNumber = unitNumber
        self.agencyDivision = agencyDivision
        self.insuranceTypes = insuranceTypes
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unitNumber = try c.decode(String.self, forKey: .unitNumber)
        agencyDivision = try c.decode(DivisionCode.self, forKey: .agencyDivision)
        insuranceTypes = try c.decodeIfPresent([InsuranceType].self, forKey: .insuranceTypes) ?? []
    }
}
