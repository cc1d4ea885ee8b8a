import Foundation
import EventLog

/// A person enrolled in an insurance type (参保登记); effective at the event's effective time.
///
/// Event type `PersonEnrolled`, schema version 2. Lives in the person's stream, `person-<citizen ID>`.
public struct PersonEnrolled: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "PersonEnrolled"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 2

    /// The insurance type.
    public var insuranceType: InsuranceType
    /// How the person joined.
    public var route: EnrolmentRoute
    /// The employer, required for ``EnrolmentRoute/employer``.
    public var employer: CreditCode?
    /// The division of the agency that registered it, when known.
    public var division: DivisionCode?

    /// Creates the payload.
    public init(insuranceType: InsuranceType, route: EnrolmentRoute, employer: CreditCode? = nil, division: DivisionCode? = nil) {
        self.insuranceType = insuranceType
        self.route = route
        self.employer = employer
        self.division = division
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        insuranceType = try c.decode(InsuranceType.self, forKey: .insuranceType)
        route = try c.decode(EnrolmentRoute.self, forKey: .route)
        employer = try c.decodeIfPresent(CreditCode.self, forKey: .employer)
        division = try c.decodeIfPresent(DivisionCode.self, forKey: .division)
    }
}
