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
}
