import Foundation
import EventLog

/// What the registry knows about one employer, folded from its stream.
public struct EmployerState: Hashable, Sendable {
    /// The version of the last event folded, nil before any.
    public private(set) var version: StreamVersion?
    /// The employer, once registered.
    public private(set) var registration: EmployerRegistered?
    /// The latest insured-unit registration (参保单位登记), if any.
    public private(set) var insuredUnit: EmployerInsuredUnitRegistered?
    /// The screenings, in order.
    public private(set) var screenings: [EmployerScreened] = []
    /// The screening tasks, in the order issued.
    public private(set) var tasks: [EmployerScreeningTask] = []

    /// An empty state: no stream.
    public init() {}

    /// Whether the employer is registered.
    public var isRegistered: Bool { registration != nil }

    /// Folds one event: the version advances by one. A screening outcome the state machine refuses changes nothing.
    public mutating func apply(_ event: RegistryEvent) {
        version = version.map { $0 + 1 } ?? 0
        switch event {
        case .employerRegistered(let p): registration = p
        case .employerScreened(let p): screenings.append(p)
        case .employerInsuredUnitRegistered(let p): insuredUnit = p
        case .employerScreeningDispatched(let p): tasks.append(EmployerScreeningTask(p))
        case .employerScreeningRecorded(let p):
            if let i = tasks.firstIndex(where: { $0.id == p.taskID }), let next = tasks[i].recorded(p) { tasks[i] = next }
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
    ///   ``RuleViolation/Rule/notRegistered``, ``RuleViolation/Rule/duplicateScreeningTask``,
    ///   ``RuleViolation/Rule/unknownScreeningTask``, ``RuleViolation/Rule/screeningStepNotAllowed``,
    ///   ``RuleViolation/Rule/screeningReasonRequired`` or ``RuleViolation/Rule/wrongStream``.
    public func check(_ event: RegistryEvent) throws(RuleViolation) {
        let stream = registration.map { StreamID.employer($0.creditCode) }
        let name = event.type.rawValue
        switch event {
        case .employerRegistered:
            guard version == nil else { throw RuleViolation(.alreadyRegistered, "EmployerRegistered: the employer is already registered", stream: stream) }
        case .employerScreened(let p):
            guard isRegistered else { throw RuleViolation(.notRegistered, "EmployerScreened: the employer is not registered", stream: stream) }
            guard p.unenrolledStaff <= p.staffCount else {
                throw RuleViolation(.inconsistentData, "EmployerScreened: more unenrolled staff than staff", stream: stream)
            }
        case .employerInsuredUnitRegistered:
            guard isRegistered else { throw RuleViolation(.notRegistered, "\(name): the employer is not registered", stream: stream) }
        case .employerScreeningDispatched(let p):
            guard isRegistered else { throw RuleViolation(.notRegistered, "\(name): the employer is not registered", stream: stream) }
            guard !p.reasons.isEmpty else { throw RuleViolation(.screeningReasonRequired, "\(name): a task names at least one reason", stream: stream) }
            guard !tasks.contains(where: { $0.id == p.taskID }) else {
                throw RuleViolation(.duplicateScreeningTask, "\(name): task \(p.taskID) is already dispatched", stream: stream)
            }
        case .employerScreeningRecorded(let p):
            guard let task = tasks.first(where: { $0.id == p.taskID }) else {
                throw RuleViolation(.unknownScreeningTask, "\(name): no task \(p.taskID) on this employer", stream: stream)
            }
            guard task.state.recorded(p.outcome) != nil else {
                throw RuleViolation(.screeningStepNotAllowed, "\(name): \(p.outcome) may not follow a task that is \(task.state)", stream: stream)
            }
        default:
            throw RuleViolation(.wrongStream, "\(name): not an employer event", stream: stream)
        }
    }
}
