import Foundation
import EventLog

/// A person's interrupted contributions resumed (接续/续保).
///
/// Event type `ContributionResumed`, schema version 1. Lives in the person's stream, `person-<citizen ID>`.
public struct ContributionResumed: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "ContributionResumed"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The insurance type.
    public var insuranceType: InsuranceType
    /// How the person contributes now.
    public var route: EnrolmentRoute
    /// The employer, required for ``EnrolmentRoute/employer``.
    public var employer: CreditCode?

    /// Creates the payload.
    public init(insuranceType: InsuranceType, route: EnrolmentRoute, employer: CreditCode? = nil) {
        self.insuranceType = insuranceType
        self.route = route
        self.employer = employer
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        insuranceType = try c.decode(InsuranceType.self, forKey: .insuranceType)
        route = try c.decode(EnrolmentRoute.self, forKey: .route)
        employer = try c.decodeIfPresent(CreditCode.self, forKey: .employer)
    }
}
