import Foundation
import EventLog

/// Version 1 of ``PersonEnrolled``, written before the route was recorded; upcast when read.
///
/// Event type `PersonEnrolled`, schema version 1. Read from old logs only; never written.
public struct PersonEnrolledV1: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "PersonEnrolled"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The insurance type.
    public var insuranceType: InsuranceType
    /// The employer, if any.
    public var employer: CreditCode?

    /// Creates the payload.
    public init(insuranceType: InsuranceType, employer: CreditCode? = nil) {
        self.insuranceType = insuranceType
        self.employer = employer
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        insuranceType = try c.decode(InsuranceType.self, forKey: .insuranceType)
        employer = try c.decodeIfPresent(CreditCode.self, forKey: .employer)
    }
}
