import EventLog

/// A person's standing in one insurance type, as folded from their stream.
public struct Coverage: Hashable, Sendable {
    /// Where the person stands.
    public enum Status: UInt8, Sendable, Hashable, CaseIterable {
        /// Never enrolled in this type.
        case notEnrolled
        /// Enrolled and contributing.
        case enrolled
        /// Enrolled, contributions interrupted.
        case interrupted
        /// The enrolment ended.
        case terminated
        /// The enrolment moved to another region.
        case transferredOut
    }

    /// Where the person stands.
    public var status: Status
    /// How the person contributes, while enrolled or interrupted.
    public var route: EnrolmentRoute?
    /// The employer, for the employer route.
    public var employer: CreditCode?
    /// The effective time of the last change of status.
    public var since: Timestamp?

    /// Not enrolled.
    public static let none = Coverage(status: .notEnrolled, route: nil, employer: nil, since: nil)

    /// Creates a coverage.
    public init(status: Status, route: EnrolmentRoute?, employer: CreditCode?, since: Timestamp?) {
        self.status = status
        self.route = route
        self.employer = employer
        self.since = since
    }

    /// Whether an enrolment is active (enrolled or interrupted): a second enrolment is refused.
    @inlinable public var isActive: Bool { status == .enrolled || status == .interrupted }
}
