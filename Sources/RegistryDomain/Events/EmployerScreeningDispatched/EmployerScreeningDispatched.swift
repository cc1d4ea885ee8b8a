import Foundation
import EventLog

/// A screening task for an employer was issued to the employer's area (seed 004 一(一): 下发资源).
///
/// Event type `EmployerScreeningDispatched`, schema version 1. Lives in the employer's stream; the task then moves
/// through ``EmployerScreeningRecorded`` facts (see ``EmployerScreeningTask/State``).
public struct EmployerScreeningDispatched: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "EmployerScreeningDispatched"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The task's id, named by later records.
    public var taskID: UUID
    /// The division the task is issued to (the employer's county or street).
    public var division: DivisionCode
    /// Why the employer is screened (at least one).
    public var reasons: [EmployerScreeningReason]
    /// The persons the task covers: the un-enrolled staff known when it was issued (seed 004 annex 4, 人数).
    public var persons: UInt32
    /// Who is to screen it (a team or office id, not a person's name).
    public var assignee: String

    /// Creates the payload.
    public init(taskID: UUID, division: DivisionCode, reasons: [EmployerScreeningReason], persons: UInt32, assignee: String = "") {
        self.taskID = taskID
        self.division = division
        self.reasons = reasons
        self.persons = persons
        self.assignee = assignee
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        taskID = try c.decode(UUID.self, forKey: .taskID)
        division = try c.decode(DivisionCode.self, forKey: .division)
        reasons = try c.decode([EmployerScreeningReason].self, forKey: .reasons)
        persons = try c.decode(UInt32.self, forKey: .persons)
        assignee = try c.decodeIfPresent(String.self, forKey: .assignee) ?? ""
    }
}
