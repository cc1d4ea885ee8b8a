import EventLog
import RegistryDomain
import RegistryProjections

extension EmployerFold {
    /// The employer coverage view as a table: one row per employer.
    public func employerTable(level: DivisionCode.Level) -> ViewTable {
        let rows = employerCoverage(level: level)
        return ViewTable(
            title: "Employer staff coverage: \(rows.count) employers",
            columns: ["credit_code", "name", "area", "registered", "insured_unit", "staff", "from_sources", "enrolled"]
                + settings.employeeTypes.map { "enrolled_\($0.name)" } + ["not_enrolled", "selective", "coverage_percent"],
            rows: rows.map { r in
                [.text(r.creditCode), .text(r.name), .text(r.area), .text(r.registered ? "yes" : "no"), .text(r.insuredUnit ? "yes" : "no"),
                 .int(r.staff), .int(r.fromSources), .int(r.enrolled)] + r.enrolledByType.map { .int($0.count) }
                    + [.int(r.notEnrolled), .int(r.selective), .percent(r.coveragePercent)]
            })
    }

    /// Employer coverage totals by area as a table.
    public func employerAreaTable(level: DivisionCode.Level) -> ViewTable {
        ViewTable(
            title: "Employer staff coverage by \(level)",
            columns: ["area", "employers", "registered", "insured_units", "with_unenrolled", "staff", "enrolled", "not_enrolled", "selective",
                      "coverage_percent"],
            rows: employerCoverageByArea(level: level).map { r in
                [.text(r.area), .int(r.employers), .int(r.registered), .int(r.insuredUnits), .int(r.withUnenrolled), .int(r.staff),
                 .int(r.enrolled), .int(r.notEnrolled), .int(r.selective), .percent(r.coveragePercent)]
            })
    }

    /// The screening worklist as a table.
    public func screeningTable(level: DivisionCode.Level) -> ViewTable {
        let entries = screeningWorklist(level: level)
        return ViewTable(
            title: "Employer screening worklist: \(entries.count) entries (at least \(settings.minimumUnenrolled) un-enrolled staff, never insured, suspected labour dispatch)",
            columns: ["area", "credit_code", "name", "state", "task", "reasons", "staff", "not_enrolled", "persons"],
            rows: entries.map { e in
                [.text(e.area), .text(e.creditCode), .text(e.name), .text(e.state), .text(e.taskID?.uuidString ?? "-"),
                 .text(e.reasons.map(\.rawValue).joined(separator: " ")), .int(e.staff), .int(e.notEnrolled), .int(e.persons)]
            })
    }

    /// Screening progress by units and by persons (seed 004 annex 4) as a table.
    public func screeningProgressTable(level: DivisionCode.Level) -> ViewTable {
        ViewTable(
            title: "Employer screening progress by \(level): issued and screened, by units and by persons",
            columns: ["area", "to_dispatch", "issued_units", "issued_persons", "screened_units", "screened_persons", "screened_units_percent",
                      "screened_persons_percent", "confirmed", "rectified", "referred"],
            rows: screeningProgress(level: level).map { r in
                [.text(r.area), .int(r.toDispatch), .int(r.issuedUnits), .int(r.issuedPersons), .int(r.screenedUnits), .int(r.screenedPersons),
                 .percent(r.screenedUnitsPercent), .percent(r.screenedPersonsPercent), .int(r.confirmed), .int(r.rectified), .int(r.referred)]
            })
    }
}
