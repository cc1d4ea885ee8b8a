import Foundation
import EventLog

/// A person was dispatched for a door-to-door survey (入户调查对象, 002 art. 15, 29).
///
/// Event type `SurveyTaskDispatched`, schema version 1. Lives in the person's stream, `person-<citizen ID>`.
public struct SurveyTaskDispatched: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "SurveyTaskDispatched"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The task's id, unique within the person's stream.
    public var taskID: UUID
    /// The street or community the task is dispatched to.
    public var division: DivisionCode
    /// Why the person is surveyed.
    public var reason: SurveyTaskReason
    /// The surveyor team or surveyor id it is assigned to.
    public var assignee: String

    /// Creates the payload.
    public init(taskID: UUID, division: DivisionCode, reason: SurveyTaskReason, assignee: String = "") {
        self.taskID = taskID
        self.division = division
        self.reason = reason
        self.assignee = assignee
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        taskID = try c.decode(UUID.self, forKey: .taskID)
        division = try c.decode(DivisionCode.self, forKey: .division)
        reason = try c.decode(SurveyTaskReason.self, forKey: .reason)
        assignee = try c.decodeIfPresent(String.self, forKey: .assignee) ?? ""
    }
}
