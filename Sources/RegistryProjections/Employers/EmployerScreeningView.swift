import Foundation
import EventLog
import RegistryDomain

/// One entry of the employer screening worklist: an employer to dispatch, or one of its open tasks.
public struct EmployerScreeningEntry: Sendable, Hashable, Codable {
    /// The unified social credit code.
    public var creditCode: String
    /// The registered name.
    public var name: String
    /// The area the task goes (or went) to, at the view's level.
    public var area: String
    /// Why the employer is screened: the rules it meets now (for a task, the reasons it was issued with).
    public var reasons: [EmployerScreeningReason]
    /// Staff known, and un-enrolled staff, now.
    public var staff: Int
    public var notEnrolled: Int
    /// The task, nil for an employer still to dispatch.
    public var taskID: UUID?
    /// `toDispatch`, or the task's state (issued, visited, confirmed, referred).
    public var state: String
    /// The persons the task covers (un-enrolled staff when issued; now for one to dispatch).
    public var persons: Int
}

/// Screening progress for an area, by units and by persons (seed 004 annex 4).
public struct EmployerScreeningProgress: Sendable, Hashable, Codable {
    public var area: String
    /// Candidates with no open task.
    public var toDispatch: Int
    /// Issued (下发资源总量): tasks and the persons they cover.
    public var issuedUnits: Int
    public var issuedPersons: Int
    /// Screened (已排查资源): tasks visited at least once, and their persons.
    public var screenedUnits: Int
    public var screenedPersons: Int
    /// Tasks confirmed, rectified, referred to labour inspection.
    public var confirmed: Int
    public var rectified: Int
    public var referred: Int

    /// 完成任务比例, by units and by persons, in percent with one decimal.
    public var screenedUnitsPercent: Double? { issuedUnits == 0 ? nil : Percent.of(screenedUnits, issuedUnits) }
    public var screenedPersonsPercent: Double? { issuedPersons == 0 ? nil : Percent.of(screenedPersons, issuedPersons) }
}

extension EmployerFold {
    /// The rules an employer meets now, in reason order (empty: not a candidate).
    func screeningReasons(_ code: CreditCode, row: EmployerCoverageRow) -> [EmployerScreeningReason] {
        guard let e = employers[code], let reg = e.registration else { return [] }  // only registered employers can be dispatched
        var reasons: [EmployerScreeningReason] = []
        if row.notEnrolled >= settings.minimumUnenrolled { reasons.append(.unenrolledStaff) }
        let neverInsured = e.insuredUnit == nil && !e.everEnrolled
        if neverInsured { reasons.append(.neverInsured) }
        let rule = settings.labourDispatch
        let suspected = reg.isLabourDispatch || e.suspectedByScreening || rule.nameKeywords.contains { !$0.isEmpty && reg.name.contains($0) }
        if suspected, row.notEnrolled >= rule.minimumUnenrolled || neverInsured { reasons.append(.suspectedLabourDispatch) }
        return reasons
    }

    /// The screening worklist: every open task (not rectified) with its state, and every employer that meets a
    /// rule and has no open task (`toDispatch`), by area then credit code.
    /// - Parameter level: the area level tasks are dispatched to (the employer's registration division there).
    public func screeningWorklist(level: DivisionCode.Level = .county) -> [EmployerScreeningEntry] {
        var entries: [EmployerScreeningEntry] = []
        for row in employerCoverage(level: level) {
            guard let code = CreditCode(validating: row.creditCode), let e = employers[code] else { continue }
            let open = e.tasks.filter { !$0.state.isClosed }
            for t in open {
                entries.append(EmployerScreeningEntry(
                    creditCode: row.creditCode, name: row.name, area: Area.name(Area.truncate(t.division.padded, to: level), level: level),
                    reasons: t.reasons, staff: row.staff, notEnrolled: row.notEnrolled, taskID: t.id, state: t.state.description, persons: t.persons))
            }
            let reasons = screeningReasons(code, row: row)
            if open.isEmpty, !reasons.isEmpty {
                entries.append(EmployerScreeningEntry(
                    creditCode: row.creditCode, name: row.name, area: row.area, reasons: reasons, staff: row.staff,
                    notEnrolled: row.notEnrolled, taskID: nil, state: "toDispatch", persons: row.notEnrolled))
            }
        }
        return entries.sorted { ($0.area, $0.creditCode, $0.taskID?.uuidString ?? "") < ($1.area, $1.creditCode, $1.taskID?.uuidString ?? "") }
    }

    /// What dispatching the worklist would issue: one task per employer to dispatch, to its registration division at
    /// `level`, covering its un-enrolled staff.
    public func screeningToDispatch(level: DivisionCode.Level = .county) -> [(employer: CreditCode, task: EmployerScreeningDispatched)] {
        screeningWorklist(level: level).compactMap { entry in
            guard entry.taskID == nil, let code = CreditCode(validating: entry.creditCode),
                  let division = employers[code]?.registration?.division else { return nil }
            return (code, EmployerScreeningDispatched(
                taskID: UUID(), division: division.truncated(to: min(level, division.level)), reasons: entry.reasons,
                persons: UInt32(clamping: entry.persons)))
        }
    }

    /// Screening progress per area (the task's division at `level`), by units and by persons, with a total row
    /// first (合计), as seed 004 annex 4.
    public func screeningProgress(level: DivisionCode.Level = .county) -> [EmployerScreeningProgress] {
        var rows: [String: EmployerScreeningProgress] = [:]
        func empty(_ area: String) -> EmployerScreeningProgress {
            EmployerScreeningProgress(area: area, toDispatch: 0, issuedUnits: 0, issuedPersons: 0, screenedUnits: 0, screenedPersons: 0,
                                      confirmed: 0, rectified: 0, referred: 0)
        }
        for entry in screeningWorklist(level: level) where entry.taskID == nil {
            rows[entry.area, default: empty(entry.area)].toDispatch += 1
        }
        for e in employers.values {
            for t in e.tasks {
                let area = Area.name(Area.truncate(t.division.padded, to: level), level: level)
                var r = rows[area] ?? empty(area)
                r.issuedUnits += 1
                r.issuedPersons += t.persons
                if t.state.isScreened { r.screenedUnits += 1; r.screenedPersons += t.persons }
                switch t.state {
                case .confirmed: r.confirmed += 1
                case .rectified: r.rectified += 1
                case .referred: r.referred += 1
                default: break
                }
                rows[area] = r
            }
        }
        var total = empty("total")
        for r in rows.values {
            total.toDispatch += r.toDispatch
            total.issuedUnits += r.issuedUnits
            total.issuedPersons += r.issuedPersons
            total.screenedUnits += r.screenedUnits
            total.screenedPersons += r.screenedPersons
            total.confirmed += r.confirmed
            total.rectified += r.rectified
            total.referred += r.referred
        }
        return [total] + rows.keys.sorted().map { rows[$0]! }
    }
}
