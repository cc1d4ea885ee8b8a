import Foundation
import EventLog

/// A screening task for an employer moved on: visited, confirmed, rectified or referred to labour inspection.
///
/// Event type `EmployerScreeningRecorded`, schema version 1. Lives in the employer's stream and names a task
/// dispatched there; ``EmployerScreeningTask/State`` decides which outcome may follow which.
public struct EmployerScreeningRecorded: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "EmployerScreeningRecorded"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The task.
    public var taskID: UUID
    /// What happened.
    public var outcome: EmployerScreeningOutcome
    /// Persons found un-enrolled at this step (核准人数; 0 when not counted at this step).
    public var persons: UInt32
    /// A free note (no personal data).
    public var note: String

    /// Creates the payload.
    public init(taskID: UUID, outcome: EmployerScreeningOutcome, persons: UInt32 = 0, note: String = "") {
        self.taskID = taskID
        self.outcome = outcome
        self.persons = persons
        self.note = note
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        taskID = try c.decode(UUID.self, forKey: .taskID)
        outcome = try c.decode(EmployerScreeningOutcome.self, forKey: .outcome)
        persons = try c.decodeIfPresent(UInt32.self, forKey: .persons) ?? 0
        note = try c.decodeIfPresent(String.self, forKey: .note) ?? ""
    }
}
