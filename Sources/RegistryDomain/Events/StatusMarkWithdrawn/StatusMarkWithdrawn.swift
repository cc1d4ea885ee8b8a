import Foundation
import EventLog

/// A mark a person's case carried is withdrawn (撤销标注): released from prison, now willing to enrol, back from
/// military service, no longer working elsewhere or studying.
///
/// Event type `StatusMarkWithdrawn`, schema version 1. Lives in the person's stream, `person-<citizen ID>`. Allowed
/// only while the mark is set; a death is undone by a vital-status correction (``PersonDataCorrected``), not by this.
public struct StatusMarkWithdrawn: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "StatusMarkWithdrawn"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The mark withdrawn.
    public var mark: StatusMark
    /// The reason code, from ``ReasonCodeList`` (e.g. released, now willing).
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
