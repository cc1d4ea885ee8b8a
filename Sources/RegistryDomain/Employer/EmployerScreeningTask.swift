import Foundation

/// A screening task on an employer, and the one state machine that decides which recorded outcome may follow which
/// (used by the rules in ``EmployerState`` and by the employer views, so the two cannot disagree).
///
/// ```
/// issued ─visited▶ visited ─confirmed▶ confirmed ─referredToInspection▶ referred
///              ▲      │  ▲ (revisit)         │                             │
///              └──────┘  └───────────────────┴───────rectified▶ rectified ◀┘   (rectified is closed)
/// ```
/// A visit may be repeated; staff are confirmed (核准人数) only after a visit; a referral to labour inspection
/// (劳动保障监察) follows a confirmation; the employer can rectify after a visit, a confirmation or a referral.
public struct EmployerScreeningTask: Hashable, Sendable {
    /// Where a task stands.
    public enum State: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible, Codable {
        /// Issued to the area, not visited yet.
        case issued
        /// Visited at least once.
        case visited
        /// Un-enrolled staff confirmed; the employer told to enrol them by a deadline.
        case confirmed
        /// The employer enrolled them: closed.
        case rectified
        /// Referred to labour inspection.
        case referred

        /// Whether the unit has been screened (visited at least once): seed 004 annex 4's 已排查.
        @inlinable public var isScreened: Bool { self != .issued }
        /// Whether the task is closed.
        @inlinable public var isClosed: Bool { self == .rectified }

        /// The state after `outcome`, nil when the outcome may not follow this state.
        public func recorded(_ outcome: EmployerScreeningOutcome) -> State? {
            switch (self, outcome) {
            case (.issued, .visited), (.visited, .visited): .visited
            case (.visited, .confirmed): .confirmed
            case (.confirmed, .referredToInspection): .referred
            case (.visited, .rectified), (.confirmed, .rectified), (.referred, .rectified): .rectified
            default: nil
            }
        }

        public var description: String {
            switch self {
            case .issued: "issued"
            case .visited: "visited"
            case .confirmed: "confirmed"
            case .rectified: "rectified"
            case .referred: "referred"
            }
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            let text = try c.decode(String.self)
            guard let s = State.allCases.first(where: { $0.description == text }) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown state")
            }
            self = s
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(description)
        }
    }

    /// The task's id.
    public let id: UUID
    /// The division it was issued to.
    public var division: DivisionCode
    /// Why the employer is screened.
    public var reasons: [EmployerScreeningReason]
    /// The persons it covers (un-enrolled staff when issued).
    public var persons: Int
    /// Persons confirmed un-enrolled at the last step that counted them (0: not counted).
    public var confirmedPersons: Int
    /// Where it stands.
    public var state: State
    /// Visits recorded.
    public var visits: Int

    /// A task as issued.
    public init(_ dispatched: EmployerScreeningDispatched) {
        id = dispatched.taskID
        division = dispatched.division
        reasons = dispatched.reasons
        persons = Int(dispatched.persons)
        confirmedPersons = 0
        state = .issued
        visits = 0
    }

    /// The task after a recorded outcome, nil when the outcome may not follow its state.
    public func recorded(_ r: EmployerScreeningRecorded) -> EmployerScreeningTask? {
        guard let next = state.recorded(r.outcome) else { return nil }
        var t = self
        t.state = next
        if r.outcome == .visited { t.visits += 1 }
        if r.persons > 0 { t.confirmedPersons = Int(r.persons) }
        return t
    }
}
