import ArgumentParser
import EventLog
import RegistryDomain
import RegistryProjections

/// `registry import FILE`: appends JSON Lines events, each line judged on its own, and reports every line.
struct ImportCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import events from a JSON Lines file (- for standard input).",
        discussion: """
            Each line is checked (form, identifiers, stream, registry rules) and appended on its own: a bad line \
            takes nothing with it. Lines already in the log (same event id) are reported as already present, so an \
            import can be re-run. Prints a report: accepted, already present, and each rejected line with its \
            number and reason (--format json: one JSON object). When any line was rejected, one line on standard error \
            says how many, and the exit status is 65 (data error), as for `compare`'s rejected rows. \
            An import that fails part-way (a full disk, a read error, the server gone) says first, on standard \
            error, how many lines were accepted, already present and rejected before the failure and the last \
            position it appended, then the error. The format is in docs/JSON-FORM.md.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The JSON Lines file, or - for standard input.", valueName: "FILE"))
    var file: String

    @Flag(name: .customLong("no-rules"),
          help: "Check only form, identifiers and streams, not the registry rules: for restoring an export into an empty store.")
    var skipRules = false

    @Option(help: "Lines per append.")
    var batchSize = 1000

    @Option(help: "Rejected lines to list in the report (all of them with 0).")
    var showRejected = 50

    @Option(help: "The report: text, or json (one object: counts, positions, rejected lines).")
    var format: ReportFormat = .text

    var writesToStore: Bool { true }

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        guard showRejected >= 0 else { throw ValidationError("--show-rejected must be 0 or more") }
    }

    func run<S: EventStore>(on store: S) async throws {
        let input = try LineInput(path: file)
        let bar = TerminalProgress(unit: "lines")
        input.onProgress = { bar.update(done: $0.linesRead, fraction: $0.fraction) }
        var importer = JSONLinesImporter(store: store, checkRules: !skipRules, batchSize: batchSize, reportsEveryLine: false)
        // Into a file store, the persons it holds are judged from the views' snapshot when one fits the log
        // (SnapshotPersonStates), their streams read otherwise; the report is the same.
        let snapshots = BasisArgument.allCases.compactMap { basis in
            ViewSnapshot.location(for: storeOptions.location, basis: basis).map { (path: $0.path, settings: ProjectionSettings(areaBasis: basis.areaBasis)) }
        }
        if !snapshots.isEmpty { importer.personStates = SnapshotPersonStates(store: store, snapshots: snapshots) }
        var report = ImportReport(keepsEveryLine: false)
        do {
            try await importer.importLines(from: input, into: &report)
            bar.finish()
            if let failure = input.readError { throw failure }
        } catch {
            bar.finish()
            // What the failed import left in the log, before its error: the operator learns what was committed.
            if let stopped = Self.renderStopped(report, source: input.name) { Terminal.note(stopped) }
            throw error
        }
        let limit = showRejected == 0 ? nil : showRejected
        switch format {
        case .text: Terminal.writeOutput(Self.render(report, source: input.name, limit: limit))
        case .json: Terminal.writeOutput(ReportFormat.json(JSONReport(report, source: input.name, limit: limit)))
        }
        if report.rejectedCount > 0 {
            throw CommandFailure.rejectedInput(
                report.rejectedCount, of: report.acceptedCount + report.alreadyPresentCount + report.rejectedCount, "lines",
                in: [input.name])
        }
    }

    /// The report as JSON.
    struct JSONReport: Encodable {
        struct Rejected: Encodable {
            var line: Int
            var code: String
            var reason: String
        }
        var source: String
        var accepted: Int
        var alreadyPresent: Int
        var rejected: Int
        /// The positions this import appended, as `[first, last]` ranges.
        var appendedRanges: [[UInt64]]
        var rejectedLines: [Rejected]
        var rejectedLinesOmitted: Int

        init(_ report: ImportReport, source: String, limit: Int?) {
            self.source = source
            accepted = report.acceptedCount
            alreadyPresent = report.alreadyPresentCount
            rejected = report.rejectedCount
            appendedRanges = report.appendedRanges.map { [$0.lowerBound, $0.upperBound] }
            let all = report.rejected
            rejectedLines = all.prefix(limit ?? all.count).compactMap { line in
                guard case .rejected(let code, let reason) = line.outcome else { return nil }
                let text = reason.hasPrefix(code + ": ") ? String(reason.dropFirst(code.count + 2)) : reason
                return Rejected(line: line.number, code: code, reason: text)
            }
            rejectedLinesOmitted = all.count - rejectedLines.count
        }
    }

    /// The positions this import appended (only its own: another writer's records between them are not
    /// claimed), at most five ranges and then how many more.
    static func renderPositions(_ ranges: [ClosedRange<LogPosition>]) -> String {
        guard !ranges.isEmpty else { return "" }
        let shown = ranges.prefix(5).map { "\($0.lowerBound)...\($0.upperBound)" }.joined(separator: ", ")
        let more = ranges.count > 5 ? ", and \(ranges.count - 5) more ranges" : ""
        return "Appended at positions \(shown)\(more)\n"
    }

    /// The line printed (on standard error, before the error) when an import fails part-way: how many lines were
    /// accepted, already present and rejected before the failure, and the last position it appended; nil when no
    /// line was recorded (nothing was committed). Counts and positions only: no personal data.
    static func renderStopped(_ report: ImportReport, source: String) -> String? {
        let recorded = report.acceptedCount + report.alreadyPresentCount + report.rejectedCount
        guard recorded > 0 else { return nil }
        let last = report.appendedRanges.last.map { "last appended position \($0.upperBound)" } ?? "nothing appended"
        return "registry: import of \(source) stopped part-way: before the failure, \(report.acceptedCount) accepted, "
            + "\(report.alreadyPresentCount) already present, \(report.rejectedCount) rejected; \(last) "
            + "(a re-run reports those lines as already present)"
    }

    /// The report: a summary line, then one line per rejected input line.
    static func render(_ report: ImportReport, source: String, limit: Int?) -> String {
        var out = "Imported \(source): \(report.acceptedCount) accepted, \(report.alreadyPresentCount) already present, \(report.rejectedCount) rejected\n"
        out += renderPositions(report.appendedRanges)
        let rejected = report.rejected
        if !rejected.isEmpty {
            out += "Rejected lines:\n"
            for line in rejected.prefix(limit ?? rejected.count) {
                if case .rejected(let code, let reason) = line.outcome {
                    let text = reason.hasPrefix(code + ": ") ? String(reason.dropFirst(code.count + 2)) : reason
                    out += "  line \(line.number): \(code): \(text)\n"
                }
            }
            if let limit, rejected.count > limit {
                out += "  … and \(rejected.count - limit) more (--show-rejected 0 lists them all)\n"
            }
        }
        return out
    }
}
