import Foundation
import EventLog

/// A person's enrolment arrived from another region (转移接续, incoming).
///
/// Event type `EnrolmentTransferredIn`, schema version 1. Lives in the person's stream, `person-<citizen ID>`.
public struct EnrolmentTransferredIn: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "EnrolmentTransferredIn"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The insurance type.
    public var insuranceType: InsuranceType
    /// Where it came from.
    public var origin: DivisionCode
    /// How the person contributes here.
    public var route: EnrolmentRoute
    /// The employer, required for ``EnrolmentRoute/employer``.
    public var employer: CreditCode?

    /// Creates the payload.
    public init(insuranceType: InsuranceType, origin: DivisionCode, route: EnrolmentRoute, employer: CreditCode? = nil) {
        self.insuranceType = insuranceType
        self.origin = origin
        self.route = route
        self.employer = employer
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        insuranceType = try c.decode(InsuranceType.self, forKey: .insuranceType)
        origin = try c.decode(DivisionCode.self, forKey: .origin)
        route = try c.decode(EnrolmentRoute.self, forKey: .route)
        employer = try c.decodeIfPresent(CreditCode.self, forKey: .employer)
    }
}
