import Foundation
import EventLog
import RegistryDomain

/// The employers' projection: employer streams (registration, insured-unit registration, screening tasks) and the
/// staff that person facts attribute to each employer (a source observation naming the employer, an enrolment
/// through it), with each staff member's enrolments.
///
/// It is a projection of its own, separate from ``RegistryFold`` (pair them with ``ProjectionPair`` for one pass):
/// it keeps, per person, only the standing and which employer each attribution and enrolment names.
public struct EmployerFold: Projection, Sendable, Equatable {
    /// The settings: which types an employer owes its staff, and the screening rules.
    public let settings: EmployerSettings
    /// The replay cut-off (as of a date, as known at a time).
    public let cutoff: ReplayCutoff
    /// The last position folded.
    public internal(set) var position: LogPosition = 0

    /// What is kept of a person who works somewhere (or ever enrolled through an employer).
    struct Staff: Hashable, Sendable {
        /// Employers named by the person's current source observations, with the finding that named them.
        var attributions: [Attribution] = []
        /// For each insurance type (index rawValue − 1), the employer of the latest enrolment in it, if it named one.
        var through: [CreditCode?] = Array(repeating: nil, count: 7)
    }

    struct Attribution: Hashable, Sendable {
        var employer: CreditCode
        var finding: SourceFinding
    }

    /// What is kept of an employer.
    struct Employer: Hashable, Sendable {
        var registration: EmployerRegistered?
        var insuredUnit: EmployerInsuredUnitRegistered?
        var tasks: [EmployerScreeningTask] = []
        var taskDispatched: [Int64] = []
        var suspectedByScreening = false
        /// Whether anyone was ever enrolled through it.
        var everEnrolled = false
    }

    /// Every person's standing (exemption, death and enrolments decide who counts).
    var standings: [UInt64: PersonStanding] = [:]
    /// The people some employer is named for.
    var staff: [UInt64: Staff] = [:]
    var employers: [CreditCode: Employer] = [:]

    /// An empty projection.
    public init(settings: EmployerSettings = .standard, cutoff: ReplayCutoff = .none) {
        self.settings = settings
        self.cutoff = cutoff
    }

    /// Folds a batch; records at or before ``position`` are skipped.
    /// - Throws: ``ProjectionError`` when a record is not a readable registry event.
    public mutating func apply(_ records: RecordViews) throws {
        for r in records { try apply(r) }
    }

    /// Folds one record.
    public mutating func apply(_ record: RecordView) throws {
        let at = record.position
        guard cutoff.take(record, advancing: &position) else { return }
        do {
            if let key = PersonKey.key(streamBytes: record.streamBytes) {
                try foldPerson(record, key: key)
            } else if record.streamBytes.starts(with: Self.employerPrefix) {
                try foldEmployer(record)
            }
        } catch let e as ProjectionError {
            throw e
        } catch {
            throw ProjectionError(position: at, reason: "\(error)")
        }
    }

    static let employerPrefix = Array("employer-".utf8)

    mutating func foldPerson(_ record: RecordView, key: UInt64) throws {
        guard let fact = try PersonFact.decode(record) else { return }
        var s = staff[key]
        switch fact {
        case .observed, .enrolled, .findingEnded, .resumed, .transferredIn:
            // Only these can name or un-name an employer: the full decoder tells which.
            let event = try RegistryEvent.decode(record)
            if s == nil { s = Staff() }
            switch event {
            case .sourceObservationRecorded(let o):
                if let e = o.employer, !s!.attributions.contains(Attribution(employer: e, finding: o.finding)) {
                    s!.attributions.append(Attribution(employer: e, finding: o.finding))
                }
            case .personEnrolled(let p):
                s!.through[Int(p.insuranceType.rawValue) - 1] = p.route == .employer ? p.employer : nil
                if p.route == .employer, let e = p.employer { employers[e, default: Employer()].everEnrolled = true }
            case .contributionResumed(let p):  // a resumption may change who pays (as a flexible worker, another employer)
                s!.through[Int(p.insuranceType.rawValue) - 1] = p.route == .employer ? p.employer : nil
                if p.route == .employer, let e = p.employer { employers[e, default: Employer()].everEnrolled = true }
            case .enrolmentTransferredIn(let p):
                s!.through[Int(p.insuranceType.rawValue) - 1] = p.route == .employer ? p.employer : nil
                if p.route == .employer, let e = p.employer { employers[e, default: Employer()].everEnrolled = true }
            case .sourceFindingEnded(let f):
                s!.attributions.removeAll { $0.finding == f.finding }
            default: break
            }
        default: break
        }
        standings[key, default: PersonStanding()].apply(fact)
        guard let s else { return }
        staff[key] = s.attributions.isEmpty && !s.through.contains(where: { $0 != nil }) ? nil : s
    }

    mutating func foldEmployer(_ record: RecordView) throws {
        guard case .employer(let code) = try RegistryStream(record.stream) else { return }
        let event = try RegistryEvent.decode(record)
        Self.apply(event, to: &employers[code, default: Employer()], effective: record.effectiveTime.microsecondsSinceEpoch)
    }

    /// What one employer-stream fact does to what is kept of the employer.
    static func apply(_ event: RegistryEvent, to e: inout Employer, effective: Int64) {
        switch event {
        case .employerRegistered(let p): e.registration = p
        case .employerInsuredUnitRegistered(let p): e.insuredUnit = p
        case .employerScreened(let p): if p.suspectedLabourDispatch { e.suspectedByScreening = true }
        case .employerScreeningDispatched(let p):
            e.tasks.append(EmployerScreeningTask(p))
            e.taskDispatched.append(effective)
        case .employerScreeningRecorded(let p):
            if let i = e.tasks.firstIndex(where: { $0.id == p.taskID }), let next = e.tasks[i].recorded(p) { e.tasks[i] = next }
        default: break
        }
    }
}
