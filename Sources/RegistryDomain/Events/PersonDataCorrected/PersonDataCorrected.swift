import Foundation
import EventLog

/// Person data was corrected or completed (信息纠正/补录, 002 art. 21): a new fact, never an edit.
///
/// Event type `PersonDataCorrected`, schema version 1. Lives in the person's stream, `person-<citizen ID>`.
public struct PersonDataCorrected: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "PersonDataCorrected"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The fields and their new values, at least one.
    public var corrections: [FieldCorrection]
    /// On what the correction rests.
    public var basis: CorrectionBasis
    /// A free note (no personal data).
    public var note: String

    /// Creates the payload.
    public init(corrections: [FieldCorrection], basis: CorrectionBasis, note: String = "") {
        self.corrections = corrections
        self.basis = basis
        self.note = note
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        corrections = try c.decode([FieldCorrection].self, forKey: .corrections)
        basis = try c.decode(CorrectionBasis.self, forKey: .basis)
        note = try c.decodeIfPresent(String.self, forKey: .note) ?? ""
    }
}
