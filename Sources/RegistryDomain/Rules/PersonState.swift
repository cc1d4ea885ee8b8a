import Foundation
import EventLog

/// What the registry knows about one person, folded from their stream: the state the rules decide on.
///
/// A value type with no I/O: ``apply(_:effective:)`` folds an event, ``check(_:rules:)`` decides whether a new
/// event is allowed. ``CommandHandler`` reads the stream, folds, checks and appends with the folded ``version``
/// as the expected version.
public struct PersonState: Hashable, Sendable {
    /// The version of the last event folded, nil before any.
    public private(set) var version: StreamVersion?
    /// The person's citizen ID, once registered.
    public private(set) var citizenID: CitizenID?
    /// Whether a death is recorded (a ``StatusMarked`` `deceased` or a civil-affairs observation) and not corrected.
    public private(set) var isDeceased = false
    /// The residence division, when known (from registration or correction).
    public private(set) var residenceDivision: DivisionCode?
    /// The household registration division, when known (from registration or correction).
    public private(set) var hukouDivision: DivisionCode?
    /// The survey tasks, by id.
    public private(set) var tasks: [UUID: SurveyTask] = [:]
    /// The current marks and their reason codes.
    public private(set) var marks: [StatusMark: String] = [:]
    /// What the comparisons said, by finding (the latest department for each).
    public private(set) var findings: [SourceFinding: Department] = [:]
    /// Coverage per insurance type, indexed by raw value − 1.
    @usableFromInline var coverageByType: [Coverage] = Array(repeating: .none, count: InsuranceType.allCases.count)

    /// An empty state: no stream.
    public init() {}

    /// Whether the person is registered.
    @inlinable public var isRegistered: Bool { citizenID != nil }

    /// Whether the person needs no survey: deceased, an inmate or insured in another province (002 art. 14), by a
    /// comparison finding or a mark.
    public var isExemptFromSurvey: Bool {
        isDeceased || findings[.inmate] != nil || findings[.insuredInOtherProvince] != nil
            || marks[.imprisoned] != nil || marks[.insuredElsewhere] != nil
    }

    /// Whether any insurance type has an active enrolment (enrolled or interrupted).
    public var hasActiveEnrolment: Bool { coverageByType.contains { $0.isActive } }

    /// Coverage in one insurance type.
    @inlinable
    public subscript(type: InsuranceType) -> Coverage {
        get { coverageByType[Int(type.rawValue) - 1] }
        set { coverageByType[Int(type.rawValue) - 1] = newValue }
    }

    /// Folds one event: the version advances by one.
    /// - Parameters:
    ///   - event: the event, already allowed (or recorded).
    ///   - effective: its effective time.
    public mutating func apply(_ event: RegistryEvent, effective: Timestamp) {
        version = version.map { $0 + 1 } ?? 0
        fold(event, effective: effective)
    }

    /// Decodes and folds one record in place (upcasting older versions); the version becomes the record's.
    /// - Throws: ``EventFormatError`` when the record is not a readable registry event.
    public mutating func apply(_ record: RecordView) throws(EventFormatError) {
        let event = try RegistryEvent.decode(record)
        fold(event, effective: record.effectiveTime)
        version = record.streamVersion
    }

    /// Folds a stream's events in order.
    /// - Throws: ``EventFormatError`` when an event is not a readable registry event.
    public static func fold(_ events: [RecordedEvent]) throws(EventFormatError) -> PersonState {
        var state = PersonState()
        for e in events {
            state.fold(try RegistryEvent.decode(e), effective: e.effectiveTime)
            state.version = e.streamVersion
        }
        return state
    }

    mutating func fold(_ event: RegistryEvent, effective: Timestamp) {
        switch event {
        case .personRegistered(let p):
            citizenID = p.citizenID
            residenceDivision = p.residenceDivision
            hukouDivision = p.hukouDivision
        case .personDataCorrected(let p):
            for c in p.corrections {
                switch c.field {
                case .vitalStatus: isDeceased = c.value.storage == "deceased"
                case .residenceDivision: residenceDivision = DivisionCode(validating: c.value.storage)
                case .hukouDivision: hukouDivision = DivisionCode(validating: c.value.storage)
                default: break
                }
            }
        case .sourceObservationRecorded(let p):
            findings[p.finding] = p.department
            if p.finding == .deceased { isDeceased = true }
        case .personEnrolled(let p):
            self[p.insuranceType] = Coverage(status: .enrolled, route: p.route, employer: p.employer, since: effective)
        case .contributionInterrupted(let p):
            self[p.insuranceType].status = .interrupted
            self[p.insuranceType].since = effective
        case .contributionResumed(let p):
            self[p.insuranceType] = Coverage(status: .enrolled, route: p.route, employer: p.employer, since: effective)
        case .enrolmentTerminated(let p):
            self[p.insuranceType] = Coverage(status: .terminated, route: nil, employer: nil, since: effective)
        case .enrolmentTransferredOut(let p):
            self[p.insuranceType] = Coverage(status: .transferredOut, route: nil, employer: nil, since: effective)
        case .enrolmentTransferredIn(let p):
            self[p.insuranceType] = Coverage(status: .enrolled, route: p.route, employer: p.employer, since: effective)
        case .surveyTaskDispatched(let p):
            tasks[p.taskID] = SurveyTask(id: p.taskID, division: p.division, reason: p.reason)
        case .surveyObservationRecorded(let p):
            tasks[p.taskID]?.state = .observed
            tasks[p.taskID]?.observations += 1
        case .surveyReviewed(let p):
            if let t = tasks[p.taskID] { tasks[p.taskID] = t.reviewed(p.level, p.decision) }
        case .statusMarked(let p):
            marks[p.mark] = p.reasonCode
            if p.mark == .deceased { isDeceased = true }
        case .employerRegistered, .employerScreened, .personalDataRevealed:
            break  // not person events
        }
    }
}
