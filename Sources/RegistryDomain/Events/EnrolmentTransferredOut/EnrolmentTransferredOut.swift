import Foundation
import EventLog

/// A person's enrolment moved to another region (转移接续, outgoing).
///
/// Event type `EnrolmentTransferredOut`, schema version 1. Lives in the person's stream, `person-<citizen ID>`.
public struct EnrolmentTransferredOut: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "EnrolmentTransferredOut"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The insurance type.
    public var insuranceType: InsuranceType
    /// Where it went.
    public var destination: DivisionCode

    /// Creates the payload.
    public init(insuranceType: InsuranceType, destination: DivisionCode) {
        self.insuranceType = insuranceType
        self.destination = destination
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        insuranceType = try c.decode(InsuranceType.self, forKey: .insuranceType)
        destination = try c.decode(DivisionCode.self, forKey: .destination)
    }
}
