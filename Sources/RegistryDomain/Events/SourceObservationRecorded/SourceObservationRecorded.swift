import Foundation
import EventLog

/// A comparison with another department's data said something about a person (002 art. 9-14).
///
/// Event type `SourceObservationRecorded`, schema version 1. Lives in the person's stream, `person-<citizen ID>`.
public struct SourceObservationRecorded: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "SourceObservationRecorded"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The department whose data this is.
    public var department: Department
    /// What it says.
    public var finding: SourceFinding
    /// The employer, for ``SourceFinding/employedAt``.
    public var employer: CreditCode?
    /// The province, for ``SourceFinding/insuredInOtherProvince``.
    public var otherProvince: DivisionCode?
    /// The comparison batch or file it came from.
    public var reference: String

    /// Creates the payload.
    public init(department: Department, finding: SourceFinding, employer: CreditCode? = nil, otherProvince: DivisionCode? = nil, reference: String = "") {
        self.department = department
        self.finding = finding
        self.employer = employer
        self.otherProvince = otherProvince
        self.reference = reference
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        department = try c.decode(Department.self, forKey: .department)
        finding = try c.decode(SourceFinding.self, forKey: .finding)
        employer = try c.decodeIfPresent(CreditCode.self, forKey: .employer)
        otherProvince = try c.decodeIfPresent(DivisionCode.self, forKey: .otherProvince)
        reference = try c.decodeIfPresent(String.self, forKey: .reference) ?? ""
    }
}
