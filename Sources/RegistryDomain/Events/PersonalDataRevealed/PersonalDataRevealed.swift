import Foundation
import EventLog

/// Someone viewed a person's full personal data (002 art. 31-33): who, whom, which fields, why.
///
/// Event type `PersonalDataRevealed`, schema version 1. Lives in the day's audit stream, `audit-YYYY-MM-DD`.
public struct PersonalDataRevealed: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "PersonalDataRevealed"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// Whose data was viewed.
    public var subject: CitizenID
    /// Which fields, such as `name`, `phone`.
    public var fields: [String]
    /// Who viewed it.
    public var viewer: String
    /// Why.
    public var reason: String

    /// Creates the payload.
    public init(subject: CitizenID, fields: [String], viewer: String, reason: String) {
        self.subject = subject
        self.fields = fields
        self.viewer = viewer
        self.reason = reason
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        subject = try c.decode(CitizenID.self, forKey: .subject)
        fields = try c.decode([String].self, forKey: .fields)
        viewer = try c.decode(String.self, forKey: .viewer)
        reason = try c.decode(String.self, forKey: .reason)
    }
}
