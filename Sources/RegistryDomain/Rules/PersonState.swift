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
    /// What the person's facts mean: coverage per type, death, findings, marks, divisions. The views' fold runs the
    /// same state machine.
    public private(set) var standing = PersonStanding()
    /// The residence division, when known (from registration or correction).
    public private(set) var residenceDivision: DivisionCode?
    /// The household registration division, when known (from registration or correction).
    public private(set) var hukouDivision: DivisionCode?
    /// The survey tasks, by id.
    public private(set) var tasks: [UUID: SurveyTask] = [:]
    /// The marks set and their reason codes.
    public private(set) var marks: [StatusMark: String] = [:]
    /// What the comparisons say, by finding (the latest department for each); ended findings are removed.
    public private(set) var findings: [SourceFinding: Department] = [:]
    /// Route, employer and since when per insurance type, indexed by raw value − 1 (the status is the standing's).
    @usableFromInline var coverageByType: [Coverage] = Array(repeating: .none, count: InsuranceType.allCases.count)

    /// An empty state: no stream.
    public init() {}

    /// A state for judging new events, made from what the views keep of a person (their ``PersonStanding``) rather
    /// than from their stream: for an import that judges a person the store holds without reading their stream.
    ///
    /// Every rule of ``check(_:rules:)`` but the survey tasks' decides on the same answers as on the state folded
    /// from the stream: registered and deceased, each type's status, the findings and marks set (not death's, which
    /// the rules never look up) — a finding's or mark's flag in the standing is set and cleared by exactly the events
    /// that add and remove its key here. Survey tasks are not in a standing: a person with any must have them taken
    /// from their stream (``takeSurveyTasks(from:)``) before a survey event is judged. What the rules never read is
    /// not known: marks carry no reason code, findings name ``Department/publicSecurity``, coverage has no route,
    /// employer or date, divisions are unknown. So such a state judges; it is not a person's record.
    /// - Parameters:
    ///   - standing: the person's standing, folded from every event of their stream.
    ///   - citizenID: the stream's citizen ID (a registration names its stream's: ``JSONEventLine/checkStream()``).
    ///   - version: the version of the stream's last event.
    public init(judging standing: PersonStanding, citizenID: CitizenID, version: StreamVersion) {
        self.standing = standing
        self.version = version
        self.citizenID = standing.isRegistered ? citizenID : nil
        for finding in SourceFinding.allCases where finding != .deceased && standing.has(finding) {
            findings[finding] = .publicSecurity
        }
        for mark in StatusMark.allCases where mark != .deceased && standing.has(mark) { marks[mark] = "" }
    }

    /// Takes the survey tasks of a state folded from the same stream (for a state made from a standing, which has
    /// none); nothing else changes.
    public mutating func takeSurveyTasks(from folded: PersonState) {
        tasks = folded.tasks
    }

    /// Whether the person is registered.
    @inlinable public var isRegistered: Bool { citizenID != nil }

    /// Whether a death is recorded and not undone.
    public var isDeceased: Bool { standing.isDeceased }

    /// Whether the person needs no survey: deceased, an inmate, insured elsewhere, in military service (002 art. 14).
    public var isExemptFromSurvey: Bool { standing.exemption != nil }

    /// Whether any insurance type has an active enrolment (enrolled or interrupted).
    public var hasActiveEnrolment: Bool { standing.activeTypes != 0 }

    /// Coverage in one insurance type: the standing's status with the route, employer and date of its last change.
    @inlinable
    public subscript(type: InsuranceType) -> Coverage {
        var c = coverageByType[Int(type.rawValue) - 1]
        c.status = standing.status(type)
        return c
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
        let before = standing
        if let fact = event.personFact { standing.apply(fact) }
        // The details the rules and `history` show beside the standing.
        switch event {
        case .personRegistered(let p):
            citizenID = p.citizenID
            residenceDivision = p.residenceDivision ?? residenceDivision
            hukouDivision = p.hukouDivision ?? hukouDivision
        case .personDataCorrected(let p):
            for c in p.corrections {
                switch c.field {
                case .residenceDivision: residenceDivision = DivisionCode(validating: c.value.storage) ?? residenceDivision
                case .hukouDivision: hukouDivision = DivisionCode(validating: c.value.storage) ?? hukouDivision
                default: break
                }
            }
        case .sourceObservationRecorded(let p):
            findings[p.finding] = p.department
        case .sourceFindingEnded(let p):
            if p.finding != .deceased { findings[p.finding] = nil }
        case .personEnrolled(let p):
            coverageByType[Int(p.insuranceType.rawValue) - 1] = Coverage(status: .enrolled, route: p.route, employer: p.employer, since: effective)
        case .contributionResumed(let p):
            coverageByType[Int(p.insuranceType.rawValue) - 1] = Coverage(status: .enrolled, route: p.route, employer: p.employer, since: effective)
        case .enrolmentTransferredIn(let p):
            coverageByType[Int(p.insuranceType.rawValue) - 1] = Coverage(status: .enrolled, route: p.route, employer: p.employer, since: effective)
        case .contributionInterrupted(let p):
            coverageByType[Int(p.insuranceType.rawValue) - 1].since = effective
        case .enrolmentTerminated(let p):
            if before.status(p.insuranceType) != .terminated {
                coverageByType[Int(p.insuranceType.rawValue) - 1] = Coverage(status: .terminated, route: nil, employer: nil, since: effective)
            }
        case .enrolmentTransferredOut(let p):
            coverageByType[Int(p.insuranceType.rawValue) - 1] = Coverage(status: .transferredOut, route: nil, employer: nil, since: effective)
        case .surveyTaskDispatched(let p):
            // A task id is dispatched once per person: the rules refuse a second, and one appended without them
            // (a library caller) changes nothing, as in the views' fold, so the rules and the worklist agree.
            if tasks[p.taskID] == nil { tasks[p.taskID] = SurveyTask(id: p.taskID, division: p.division, reason: p.reason) }
        case .surveyObservationRecorded(let p):
            if let state = tasks[p.taskID]?.state { tasks[p.taskID]?.state = state.visited() }
            tasks[p.taskID]?.observations += 1
        case .surveyReviewed(let p):
            if let t = tasks[p.taskID] { tasks[p.taskID] = t.reviewed(p.level, p.decision) }
        case .statusMarked(let p):
            marks[p.mark] = p.reasonCode
        case .statusMarkWithdrawn(let p):
            if p.mark != .deceased { marks[p.mark] = nil }
        case .employerRegistered, .employerScreened, .personalDataRevealed, .employerInsuredUnitRegistered, .employerScreeningDispatched,
             .employerScreeningRecorded, .targetSet:
            break  // not person events
        }
        // A death ends every active enrolment on its date.
        for t in InsuranceType.allCases where before.status(t) != standing.status(t) && standing.endedByDeath & (1 << (t.rawValue - 1)) != 0 {
            coverageByType[Int(t.rawValue) - 1] = Coverage(status: .terminated, route: nil, employer: nil, since: effective)
        }
    }
}
