import Foundation
import EventLog

/// An employer entered the registry.
///
/// Event type `EmployerRegistered`, schema version 1. Lives in the employer's stream, `employer-<credit code>`.
public struct EmployerRegistered: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "EmployerRegistered"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The unified social credit code; it names the stream.
    public var creditCode: CreditCode
    /// The employer's registered name.
    public var name: String
    /// Where it is registered.
    public var division: DivisionCode
    /// Whether it is a licensed labour-dispatch firm.
    public var isLabourDispatch: Bool

    /// Creates the payload.
    public init(creditCode: CreditCode, name: String, division: DivisionCode, isLabourDispatch: Bool = false) {
        self.creditCode = creditCode
        self.name = name
        self.division = division
        self.isLabourDispatch = isLabourDispatch
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        creditCode = try c.decode(CreditCode.self, forKey: .creditCode)
        name = try c.decode(String.self, forKey: .name)
        division = try c.decode(DivisionCode.self, forKey: .division)
        isLabourDispatch = try c.decodeIfPresent(Bool.self, forKey: .isLabourDispatch) ?? false
    }
}
