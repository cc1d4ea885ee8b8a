import Foundation

/// A door-to-door survey task in a person's stream, and where its review workflow stands.
///
/// ```
/// dispatched ──observation──▶ observed ──street approve──▶ streetApproved ──district approve──▶ districtConfirmed
///     ▲                          │                              │
///     └────── street reject ─────┘                              │
///     └──────────────────────── district reject ────────────────┘   (sent back to the surveyor)
/// ```
public struct SurveyTask: Hashable, Sendable {
    /// Where a task stands.
    public enum State: UInt8, Sendable, Hashable, CaseIterable {
        /// Waiting for a visit (new, or sent back after a rejection).
        case dispatched
        /// An observation is recorded, waiting for the street review.
        case observed
        /// The street approved, waiting for the district review.
        case streetApproved
        /// The district confirmed: closed.
        case districtConfirmed
    }

    /// The task id.
    public let id: UUID
    /// Where it is dispatched.
    public var division: DivisionCode
    /// Why.
    public var reason: SurveyTaskReason
    /// Where it stands.
    public var state: State
    /// How many observations were recorded.
    public var observations: Int
    /// How many times a review sent it back.
    public var rejections: Int
    /// The level of the last rejection, if any.
    public var lastRejection: ReviewLevel?

    /// Creates a freshly dispatched task.
    public init(id: UUID, division: DivisionCode, reason: SurveyTaskReason) {
        self.id = id
        self.division = division
        self.reason = reason
        self.state = .dispatched
        self.observations = 0
        self.rejections = 0
        self.lastRejection = nil
    }

    /// The state after a review decision (without checking it is allowed: see ``PersonState/check(_:rules:)``).
    public func reviewed(_ level: ReviewLevel, _ decision: ReviewDecision) -> SurveyTask {
        var t = self
        switch (level, decision) {
        case (.street, .approve): t.state = .streetApproved
        case (.district, .approve): t.state = .districtConfirmed
        case (_, .reject):
            t.state = .dispatched
            t.rejections += 1
            t.lastRejection = level
        }
        return t
    }
}
