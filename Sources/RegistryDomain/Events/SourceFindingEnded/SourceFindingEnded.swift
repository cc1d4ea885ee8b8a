import Foundation
import EventLog

/// A department no longer reports a finding about a person: a later comparison feed of the same department does not
/// list them any more (a prisoner released, a student graduated, a low-income allowance ended).
///
/// Event type `SourceFindingEnded`, schema version 1. Lives in the person's stream, `person-<citizen ID>`. The
/// effective time is the date of the feed that no longer lists the person. A death finding is not ended this way: a
/// wrong death is undone by a vital-status correction (``PersonDataCorrected``).
public struct SourceFindingEnded: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "SourceFindingEnded"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The department whose feed no longer lists the person.
    public var department: Department
    /// The finding that ended.
    public var finding: SourceFinding
    /// The department's reference (feed name, case number), no personal data.
    public var reference: String

    /// Creates the payload.
    public init(department: Department, finding: SourceFinding, reference: String = "") {
        self.department = department
        self.finding = finding
        self.reference = reference
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        department = try c.decode(Department.self, forKey: .department)
        finding = try c.decode(SourceFinding.self, forKey: .finding)
        reference = try c.decodeIfPresent(String.self, forKey: .reference) ?? ""
    }
}
