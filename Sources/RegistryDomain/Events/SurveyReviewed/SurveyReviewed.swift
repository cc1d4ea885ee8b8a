import Foundation
import EventLog

/// A review decision on a survey observation: street level, then district level (002 art. 20).
///
/// Event type `SurveyReviewed`, schema version 1. Lives in the person's stream, `person-<citizen ID>`.
public struct SurveyReviewed: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "SurveyReviewed"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The task reviewed.
    public var taskID: UUID
    /// Who reviewed.
    public var level: ReviewLevel
    /// Approve or reject.
    public var decision: ReviewDecision
    /// The reviewer's id.
    public var reviewerID: String
    /// Why it was rejected (required for a rejection, empty for an approval).
    public var reason: String

    /// Creates the payload.
    public init(taskID: UUID, level: ReviewLevel, decision: ReviewDecision, reviewerID: String, reason: String = "") {
        self.taskID = taskID
        self.level = level
        self.decision = decision
        self.reviewerID = reviewerID
        self.reason = reason
    }

    /// Decodes the JSON form; fields with a default may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        taskID = try c.decode(UUID.self, forKey: .taskID)
        level = try c.decode(ReviewLevel.self, forKey: .level)
        decision = try c.decode(ReviewDecision.self, forKey: .decision)
        reviewerID = try c.decode(String.self, forKey: .reviewerID)
        reason = try c.decodeIfPresent(String.self, forKey: .reason) ?? ""
    }
}
