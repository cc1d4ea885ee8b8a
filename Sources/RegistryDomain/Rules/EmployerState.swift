import EventLog

/// What the registry knows about one employer, folded from its stream.
public struct EmployerState: Hashable, Sendable {
    /// The version of the last event folded, nil before any.
    public private(set) var version: StreamVersion?
    /// The employer, once registered.
    public private(set) var registration: EmployerRegistered?
    /// The screenings, in order.
    public private(set) var screenings: [EmployerScreened] = []

    /// An empty state: no stream.
    public init() {}

    /// Whether the employer is registered.
    public var isRegistered: Bool { registration != nil }

    /// Folds one event: the version advances by one.
    public mutating func apply(_ event: RegistryEvent) {
        version = version.map { $0 + 1 } ?? 0
        switch event {
        case .employerRegistered(let p): registration = p
        case .employerScreened(let p): screenings.append(p)
        default: break
        }
    }

    /// Folds a stream's events in order.
    /// - Throws: ``EventFormatError`` when an event is not a readable registry event.
    public static func fold(_ events: [RecordedEvent]) throws(EventFormatError) -> EmployerState {
        var state = EmployerState()
        for e in events {
            state.apply(try RegistryEvent.decode(e))
            state.version = e.streamVersion
        }
        return state
    }

    /// Decides whether `event` may be appended to this employer's stream.
    /// - Throws: ``RuleViolation`` with ``RuleViolation/Rule/alreadyRegistered``,
    ///   ``RuleViolation/Rule/notRegistered`` or ``RuleViolation/Rule/wrongStream``.
    public func check(_ event: RegistryEvent) throws(RuleViolation) {
        let stream = registration.map { StreamID.employer($0.creditCode) }
        switch event {
        case .employerRegistered:
            guard version == nil else { throw RuleViolation(.alreadyRegistered, "EmployerRegistered: the employer is already registered", stream: stream) }
        case .employerScreened(let p):
            guard isRegistered else { throw RuleViolation(.notRegistered, "EmployerScreened: the employer is not registered", stream: stream) }
            guard p.unenrolledStaff <= p.staffCount else {
                throw RuleViolation(.inconsistentData, "EmployerScreened: more unenrolled staff than staff", stream: stream)
            }
        default:
            throw RuleViolation(.wrongStream, "\(event.type.rawValue): not an employer event", stream: stream)
        }
    }
}
