import Foundation
import EventLog

/// A person's enrolment in an insurance type ended.
///
/// Event type `EnrolmentTerminated`, schema version 1. Lives in the person's stream, `person-<citizen ID>`.
public struct EnrolmentTerminated: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "EnrolmentTerminated"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The insurance type.
    public var insuranceType: InsuranceType
    /// Why.
    public var reason: TerminationReason

    /// Creates the payload.
    public init(insuranceType: InsuranceType, reason: TerminationReason) {
        self.insuranceType = insuranceType
        self.reason = reason
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        insuranceType = try c.decode(InsuranceType.self, forKey: .insuranceType)
        reason = try c.decode(TerminationReason.self, forKey: .reason)
    }
}
