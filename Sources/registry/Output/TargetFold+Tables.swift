import Foundation
import EventLog
import RegistryDomain
import RegistryProjections

extension TargetFold {
    /// A count or a rate as a cell: counts whole, rates as percentages.
    static func figure(_ value: Double, kind: TargetKind) -> ViewTable.Cell {
        kind.isRate ? .percent(value) : .int(Int(value.rounded()))
    }

    /// Every target with its revisions, oldest first.
    public func targetsTable() -> ViewTable {
        let off = settings.utcOffsetSeconds
        return ViewTable(
            title: "Targets (every revision; the latest effective by a day is in force that day)",
            columns: ["area", "type", "kind", "from", "to", "value", "effective", "position", "note"],
            rows: targetHistory().flatMap { key, revisions in
                revisions.map { r -> [ViewTable.Cell] in
                    [.text(key.area.value), .text(key.insuranceType?.name ?? "all"), .text(key.kind.rawValue), .text(key.from.description),
                     .text(key.to.description), Self.figure(r.value, kind: key.kind),
                     .text(LocalCalendar.dateText(r.effective.microsecondsSinceEpoch, offset: off)), .int(Int(r.position)), .text(r.note)]
                }
            })
    }

    /// Progress against every target as a table.
    public func progressTable(at evaluation: Timestamp, coverage: RegistryFold?) -> ViewTable {
        ViewTable(
            title: "Progress against targets as of \(LocalCalendar.dateText(evaluation.microsecondsSinceEpoch, offset: settings.utcOffsetSeconds)) (\(settings.areaBasis) basis)",
            columns: ["area", "type", "kind", "from", "to", "actual", "target", "completion_percent", "gap", "met", "rank", "revisions", "since"],
            rows: progress(at: evaluation, coverage: coverage).map { r in
                [.text(r.isTotal ? "\(r.area) total" : r.area), .text(r.type), .text(r.kind.rawValue), .text(r.from), .text(r.to),
                 Self.figure(r.actual, kind: r.kind), Self.figure(r.target, kind: r.kind), .percent(r.completionPercent),
                 Self.figure(r.gap, kind: r.kind), .text(r.met ? "yes" : "no"), .text(r.rank.map(String.init) ?? "-"), .int(r.revisions),
                 .text(r.since)]
            })
    }

    /// The layout of seed 004 annex 3 (缴费人数完成进度统计表): for the contributor targets of one type and period,
    /// the total first, then each area: contributors, plan, completion.
    public func planTable(at evaluation: Timestamp, type: InsuranceType?, kind: TargetKind = .contributors) -> ViewTable {
        let rows = progress(at: evaluation).filter { $0.kind == kind && $0.type == (type?.name ?? "all") }
        let day = LocalCalendar.dateText(evaluation.microsecondsSinceEpoch, offset: settings.utcOffsetSeconds)
        return ViewTable(
            title: "\(type?.name ?? "all types"): \(kind.rawValue) on \(day) against the plan",
            columns: ["area", kind == .contributors ? "contributors" : kind.rawValue, "plan", "completion_percent"],
            rows: rows.map { r in
                [.text(r.isTotal ? "total" : r.area), Self.figure(r.actual, kind: r.kind), Self.figure(r.target, kind: r.kind), .percent(r.completionPercent)]
            })
    }

    /// The monthly series as a table.
    public func seriesTable(level: DivisionCode.Level, type: InsuranceType?, from: YearMonth, to: YearMonth,
                            coverageAtMonthEnd: [YearMonth: RegistryFold]) -> ViewTable {
        ViewTable(
            title: "Monthly series by \(level), \(type?.name ?? "all types"), \(from) to \(to)",
            columns: ["area", "type", "month", "contributors", "new_enrolments", "interruptions", "interruption_percent", "coverage_percent"],
            rows: series(level: level, type: type, from: from, to: to, coverageAtMonthEnd: coverageAtMonthEnd).map { p in
                [.text(p.area), .text(p.type), .text(p.month), .int(p.contributors), .int(p.newEnrolments), .int(p.interruptions),
                 .percent(p.interruptionPercent), .percent(p.coveragePercent)]
            })
    }
}
