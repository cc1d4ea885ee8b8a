import EventLog
import RegistryDomain
import RegistryProjections

extension RegistryFold {
    /// The coverage view as a table.
    public func coverageTable(level: DivisionCode.Level, at evaluation: Timestamp, type: InsuranceType? = nil, totalsOnly: Bool = false) -> ViewTable {
        let rows = coverage(level: level, at: evaluation).filter { r in
            if totalsOnly { return r.type == nil }
            if let type { return r.type == type }
            return true
        }
        return ViewTable(
            title: "Coverage by \(level) as of \(LocalCalendar.dateText(evaluation.microsecondsSinceEpoch, offset: settings.utcOffsetSeconds)) (\(settings.areaBasis) basis)",
            columns: ["area", "type", "known", "registered", "should_be_insured", "enrolled", "paying", "interrupted", "not_enrolled", "exempt", "coverage_percent", "registration_percent"],
            rows: rows.map { r in
                [.text(r.area), .text(r.type?.name ?? "all"), .int(r.known), .int(r.registered), .int(r.shouldBeInsured), .int(r.enrolled),
                 .int(r.paying), .int(r.interrupted), .int(r.notEnrolled), .int(r.exempt), .percent(r.coveragePercent), .percent(r.registrationPercent)]
            })
    }

    /// The worklist as a table.
    public func worklistTable(at evaluation: Timestamp, limit: Int? = nil) -> ViewTable {
        let entries = worklist(at: evaluation)
        let shown = limit.map { Array(entries.prefix($0)) } ?? entries
        return ViewTable(
            title: "Survey worklist: \(entries.count) people" + (shown.count < entries.count ? " (first \(shown.count))" : ""),
            columns: ["community", "street", "county", "person", "state", "age_days", "rejections", "missing"],
            rows: shown.map { e in
                [.text(Area.name(e.division, level: .community)), .text(Area.name(Area.truncate(e.division, to: .street), level: .street)),
                 .text(Area.name(Area.truncate(e.division, to: .county), level: .county)), .text(e.person), .text(e.state.description),
                 .int(e.ageDays), .int(e.rejections), .text(e.unmet.joined(separator: " "))]
            })
    }

    /// Survey progress as a table.
    public func worklistProgressTable(level: DivisionCode.Level, at evaluation: Timestamp) -> ViewTable {
        ViewTable(
            title: "Survey progress by \(level)",
            columns: ["area", "to_dispatch", "issued", "screened", "screened_percent", "confirmed", "confirmed_percent", "sent_back"],
            rows: worklistProgress(level: level, at: evaluation).map { r in
                [.text(r.area), .int(r.toDispatch), .int(r.issued), .int(r.screened), .percent(r.screenedPercent), .int(r.confirmed),
                 .percent(r.confirmedPercent), .int(r.sentBack)]
            })
    }

    /// The ledger as a table.
    public func ledgerTable(at evaluation: Timestamp, includeCleared: Bool, limit: Int? = nil) -> ViewTable {
        let page = ledgerPage(at: evaluation, includeCleared: includeCleared, limit: limit ?? Int.max)
        let shown = page.entries, total = page.open + page.cleared
        let off = settings.utcOffsetSeconds
        return ViewTable(
            title: "Dynamic-management ledger: \(page.open) open, \(page.cleared) cleared"
                + (shown.count < total ? " (first \(shown.count))" : ""),
            columns: ["person", "county", "entered", "entered_at_position", "follow_ups", "last_follow_up", "cleared", "reason", "missing"],
            rows: shown.map { e in
                [.text(e.person), .text(e.area), .text(LocalCalendar.dateText(e.opened.microsecondsSinceEpoch, offset: off)),
                 .int(Int(e.openedPosition)),  // 0: a birthday opened the case
                 .int(e.followUps), .text(e.lastFollowUp.map { LocalCalendar.dateText($0.microsecondsSinceEpoch, offset: off) } ?? "-"),
                 .text(e.cleared.map { LocalCalendar.dateText($0.microsecondsSinceEpoch, offset: off) } ?? "-"), .text(e.reason.description),
                 .text(e.unmet.joined(separator: " "))]
            })
    }

    /// Interrupted contributors as a table.
    public func interruptionsTable(at evaluation: Timestamp, limit: Int? = nil) -> ViewTable {
        let entries = interruptions(at: evaluation)
        let shown = limit.map { Array(entries.prefix($0)) } ?? entries
        return ViewTable(
            title: "Interrupted contributors: \(entries.count)" + (shown.count < entries.count ? " (first \(shown.count))" : ""),
            columns: ["person", "county", "type", "since", "days"],
            rows: shown.map { e in
                [.text(e.person), .text(e.area), .text(e.type.name),
                 .text(LocalCalendar.dateText(e.since.microsecondsSinceEpoch, offset: settings.utcOffsetSeconds)), .int(e.days)]
            })
    }

    /// Monthly statistics as a table.
    public func monthlyTable(at evaluation: Timestamp) -> ViewTable {
        ViewTable(
            title: "Monthly statistics by county",
            columns: ["county", "month", "new_unenrolled_found", "cleared", "moved_in", "moved_out", "still_open", "active_enrolments",
                      "interrupted", "interruption_percent"],
            rows: monthlyStatistics(at: evaluation).map { r in
                [.text(r.area), .text(r.month), .int(r.newFound), .int(r.cleared), .int(r.movedIn), .int(r.movedOut), .int(r.stillOpen),
                 .int(r.active), .int(r.interrupted), .percent(r.interruptionPercent)]
            })
    }
}

extension Explanation {
    /// The explanation as a table of steps followed by the conclusions.
    public func table(utcOffsetSeconds: Int64 = 8 * 3600) -> ViewTable {
        ViewTable(
            title: "Explain \(person)",
            columns: ["position", "effective", "recorded", "event", "actor", "changed"],
            rows: steps.map { s in
                [.int(Int(s.position)), .text(LocalCalendar.dateText(s.effective.microsecondsSinceEpoch, offset: utcOffsetSeconds)),
                 .text(s.recorded.description), .text(s.type), .text(s.actor), .text(s.changes.isEmpty ? "-" : s.changes.joined(separator: "; "))]
            } + conclusions.map { [.text(""), .text(""), .text(""), .text("=>"), .text(""), .text($0)] })
    }
}
