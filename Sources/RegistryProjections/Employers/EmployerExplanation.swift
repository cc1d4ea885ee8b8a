import Foundation
import EventLog
import RegistryDomain

/// Why an employer has its figures, is on the screening worklist, or has its tasks in their states: each fact of
/// its stream and what it changed, then the conclusions from the whole log (staff, enrolments, rules met).
public struct EmployerExplanation: Sendable, Hashable, Codable {
    /// One fact and what it changed.
    public struct Step: Sendable, Hashable, Codable {
        public var position: LogPosition
        public var type: String
        public var effective: Timestamp
        public var recorded: Timestamp
        public var actor: String
        public var changes: [String]
    }

    /// The credit code.
    public var employer: String
    public var steps: [Step]
    public var conclusions: [String]
}

extension EmployerFold {
    /// Explains one employer: its stream's facts (`events`, in order) one by one, then what this fold (over the whole
    /// log) concludes about it.
    /// - Throws: `EventFormatError` when a fact is not readable.
    public func explain(_ code: CreditCode, events: [RecordedEvent], level: DivisionCode.Level = .county) throws -> EmployerExplanation {
        var e = Employer()
        var steps: [EmployerExplanation.Step] = []
        for event in events {
            let before = e
            let decoded = try RegistryEvent.decode(event)
            Self.apply(decoded, to: &e, effective: event.effectiveTime.microsecondsSinceEpoch)
            var changes: [String] = []
            if before.registration == nil, let r = e.registration { changes.append("registered in \(r.division.value)" + (r.isLabourDispatch ? " as a labour-dispatch firm" : "")) }
            if before.insuredUnit != e.insuredUnit, let u = e.insuredUnit { changes.append("insured unit with the agency of \(u.agencyDivision.value): no longer never insured") }
            if !before.suspectedByScreening, e.suspectedByScreening { changes.append("suspected of labour dispatch by a screening") }
            for t in e.tasks {
                let was = before.tasks.first { $0.id == t.id }
                if was == nil { changes.append("task \(t.id.uuidString.prefix(8)) issued to \(t.division.value) covering \(t.persons) persons") }
                else if was!.state != t.state { changes.append("task \(t.id.uuidString.prefix(8)) \(was!.state) -> \(t.state)") }
            }
            steps.append(.init(position: event.position, type: event.type, effective: event.effectiveTime, recorded: event.recordedTime,
                               actor: event.metadata.actor, changes: changes))
        }
        var conclusions: [String] = []
        if let row = employerCoverage(level: level).first(where: { $0.creditCode == code.value }) {
            conclusions.append("staff \(row.staff) (\(row.fromSources) named by sources), enrolled through it \(row.enrolled), not enrolled \(row.notEnrolled), selective \(row.selective)")
            conclusions.append("by type: " + row.enrolledByType.map { "\($0.type.name) \($0.count)" }.joined(separator: ", "))
            let reasons = screeningReasons(code, row: row)
            conclusions.append(reasons.isEmpty
                ? "meets no screening rule (at least \(settings.minimumUnenrolled) un-enrolled, never insured, suspected labour dispatch)"
                : "meets the screening rules: " + reasons.map(\.rawValue).joined(separator: ", "))
        }
        for t in employers[code]?.tasks ?? [] {
            conclusions.append("task \(t.id.uuidString.prefix(8)): \(t.state), \(t.persons) persons" + (t.confirmedPersons > 0 ? ", \(t.confirmedPersons) confirmed" : ""))
        }
        return EmployerExplanation(employer: code.value, steps: steps, conclusions: conclusions)
    }
}
