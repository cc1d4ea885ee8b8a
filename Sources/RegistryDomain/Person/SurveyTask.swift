import Foundation

/// A door-to-door survey task in a person's stream, and where its review workflow stands. A person may have several
/// tasks; each has its own state.
///
/// ```
/// dispatched ──observation──▶ visited ──street approve──▶ streetApproved ──district approve──▶ districtConfirmed
///                                │                              │
///        sentBack ◀── street reject ──┘    ◀──── district reject ─┘   (back to the surveyor)
///           └──────observation──▶ visited …
/// ```
/// The same ``State`` names are used by the command rules, the worklist and `explain`.
public struct SurveyTask: Hashable, Sendable {
    /// Where a task stands.
    public enum State: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// Waiting for its first visit.
        case dispatched = 1
        /// An observation is recorded, waiting for the street review.
        case visited
        /// The street approved, waiting for the district review.
        case streetApproved
        /// The district confirmed: closed.
        case districtConfirmed
        /// A review (street or district) rejected the observation: waiting for a new visit.
        case sentBack

        /// Whether an observation may be recorded now.
        @inlinable public var awaitsVisit: Bool { self == .dispatched || self == .sentBack }
        /// Whether the task has been visited (at least once).
        @inlinable public var wasVisited: Bool { self != .dispatched }

        /// The state after an observation is recorded.
        @inlinable public func visited() -> State { .visited }

        /// The state after a review decision (without checking it is allowed: see ``PersonState/check(_:rules:)``).
        @inlinable
        public func reviewed(_ level: ReviewLevel, _ decision: ReviewDecision) -> State {
            switch (level, decision) {
            case (.street, .approve): .streetApproved
            case (.district, .approve): .districtConfirmed
            case (_, .reject): .sentBack
            }
        }

        /// The words the views print.
        public var description: String {
            switch self {
            case .dispatched: "dispatched"
            case .visited: "visited"
            case .streetApproved: "street approved"
            case .districtConfirmed: "district confirmed"
            case .sentBack: "rejected, sent back"
            }
        }
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

    /// The task after a review decision.
    public func reviewed(_ level: ReviewLevel, _ decision: ReviewDecision) -> SurveyTask {
        var t = self
        t.state = state.reviewed(level, decision)
        if decision == .reject {
            t.rejections += 1
            t.lastRejection = level
        }
        return t
    }
}
