import Foundation
import EventLog

/// An employer was screened in a campaign (seed 004: 50+ un-enrolled staff, suspected labour dispatch).
///
/// Event type `EmployerScreened`, schema version 1. Lives in the employer's stream, `employer-<credit code>`.
public struct EmployerScreened: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "EmployerScreened"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The screening campaign.
    public var campaign: String
    /// Staff found.
    public var staffCount: UInt32
    /// Staff found not enrolled.
    public var unenrolledStaff: UInt32
    /// Whether it is suspected of undeclared labour dispatch.
    public var suspectedLabourDispatch: Bool
    /// A free note.
    public var note: String

    /// Creates the payload.
    public init(campaign: String, staffCount: UInt32, unenrolledStaff: UInt32, suspectedLabourDispatch: Bool = false, note: String = "") {
        self.campaign = campaign
        self.staffCount = staffCount
        self.unenrolledStaff = unenrolledStaff
        self.suspectedLabourDispatch = suspectedLabourDispatch
        self.note = note
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        campaign = try c.decode(String.self, forKey: .campaign)
        staffCount = try c.decode(UInt32.self, forKey: .staffCount)
        unenrolledStaff = try c.decode(UInt32.self, forKey: .unenrolledStaff)
        guard unenrolledStaff <= staffCount else {
            throw FieldProblem.at(c.codingPath + [CodingKeys.unenrolledStaff], .inconsistentData, "more unenrolled staff than staff")
        }
        suspectedLabourDispatch = try c.decodeIfPresent(Bool.self, forKey: .suspectedLabourDispatch) ?? false
        note = try c.decodeIfPresent(String.self, forKey: .note) ?? ""
    }
}
