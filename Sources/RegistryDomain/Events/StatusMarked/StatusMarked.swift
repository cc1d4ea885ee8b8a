import Foundation
import EventLog

/// A person's case was marked (标注, 003 二(一)2), with a reason code from the configured list.
///
/// Event type `StatusMarked`, schema version 1. Lives in the person's stream, `person-<citizen ID>`.
public struct StatusMarked: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "StatusMarked"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The mark.
    public var mark: StatusMark
    /// The reason code, from ``ReasonCodeList``.
    public var reasonCode: String
    /// A free note (no personal data).
    public var note: String

    /// Creates the payload.
    public init(mark: StatusMark, reasonCode: String, note: String = "") {
        self.mark = mark
        self.reasonCode = reasonCode
        self.note = note
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mark = try c.decode(StatusMark.self, forKey: .mark)
        reasonCode = try c.decode(String.self, forKey: .reasonCode)
        note = try c.decodeIfPresent(String.self, forKey: .note) ?? ""
    }
}
