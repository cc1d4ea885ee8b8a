import Foundation
import EventLog

/// A person's contributions to an insurance type stopped (中断缴费).
///
/// Event type `ContributionInterrupted`, schema version 1. Lives in the person's stream, `person-<citizen ID>`.
public struct ContributionInterrupted: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "ContributionInterrupted"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The insurance type.
    public var insuranceType: InsuranceType
    /// Why, as a code of the agency (such as `left-employer`).
    public var reasonCode: String

    /// Creates the payload.
    public init(insuranceType: InsuranceType, reasonCode: String = "") {
        self.insuranceType = insuranceType
        self.reasonCode = reasonCode
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        insuranceType = try c.decode(InsuranceType.self, forKey: .insuranceType)
        reasonCode = try c.decodeIfPresent(String.self, forKey: .reasonCode) ?? ""
    }
}
