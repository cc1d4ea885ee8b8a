import ArgumentParser
import EventLog
import Foundation
import RegistryComparison
import RegistryDomain

/// `registry compare --source KIND FILE…`: compares department feeds with the registry and records what is new.
struct CompareCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare department feeds (CSV) with the registry and record what is new (信息比对).",
        discussion: """
            Each FILE is one feed of the --source kind: a CSV file with a header row, UTF-8 or GB18030 (detected, \
            or --encoding). Every row is checked (ID number, division codes, dates, credit codes): a bad row is \
            reported with its line and never recorded. Rows are matched to persons by ID number (a 15-digit \
            number matches its 18-digit upgrade, x matches X), and only what is new or changed is appended, as \
            source observations (and registrations, from the police population feed) that carry the feed's name, \
            date and the row's line. Re-running a feed appends nothing; a run killed halfway resumes where its \
            durable batches stopped. Feed kinds: \(FeedKind.allCases.map(\.rawValue).joined(separator: ", ")); \
            their columns are in README and docs/FEEDS.md. When any row was rejected, one line on standard error \
            says how many, after the reports, and the exit status is 65 (data error), as for `import`'s rejected lines.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .customLong("source"), help: ArgumentHelp("The feed kind (the department's extract).", valueName: "KIND"))
    var source: String

    @Argument(help: ArgumentHelp("The feed files, compared in order.", valueName: "FILE"))
    var files: [String]

    @Option(help: ArgumentHelp("The feeds' date (YYYY-MM-DD): facts take effect on it. Default: a date in the file name.", valueName: "DATE"))
    var date: String?

    @Option(help: ArgumentHelp("The feed's name in the facts' provenance (one file only). Default: the file name.", valueName: "NAME"))
    var name: String?

    @Option(help: "The files' encoding: auto, utf-8 or gb18030.")
    var encoding = "auto"

    @Option(help: ArgumentHelp("A list of known division codes (one per line): codes outside it are rejected.", valueName: "FILE"))
    var divisions: String?

    @Option(help: "Rows per durable batch.")
    var batchRows = 10_000

    @Flag(name: .customLong("no-targets"), help: "Do not count the survey targets per county (skips the worklist view: faster).")
    var noTargets = false

    @Option(help: "Output format: table or json.")
    var format: FormatArgument = .table

    @Option(help: "Rejected rows to list in the table (all of them with 0).")
    var showRejected = 20

    var writesToStore: Bool { true }

    var kind: FeedKind { FeedKind(name: source)! }

    func validate() throws {
        guard FeedKind(name: source) != nil else {
            throw ValidationError("unknown feed kind \(source); one of: \(FeedKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard !files.isEmpty else { throw ValidationError("give at least one feed file") }
        if name != nil, files.count > 1 { throw ValidationError("--name names one file; give one file or leave --name out") }
        if encoding != "auto", FeedEncoding(name: encoding) == nil { throw ValidationError("--encoding must be auto, utf-8 or gb18030") }
        if let date, CalendarDate(iso: date) == nil { throw ValidationError("--date must be YYYY-MM-DD") }
        guard batchRows > 0 else { throw ValidationError("--batch-rows must be positive") }
        guard showRejected >= 0 else { throw ValidationError("--show-rejected must be 0 or more") }
        if format == .csv { throw ValidationError("--format must be table or json") }
        for file in files {
            let feedDate = date.flatMap(CalendarDate.init(iso:)) ?? FeedDescription.date(inFileName: (file as NSString).lastPathComponent)
            if feedDate == nil { throw ValidationError("no date in the file name \((file as NSString).lastPathComponent): give --date YYYY-MM-DD") }
        }
    }

    func run<S: EventStore>(on store: S) async throws {
        try await StoreHealth.requireIntact(store, at: storeOptions.location)
        var options = ComparisonOptions()
        options.batchRows = batchRows
        options.countsSurveyTargets = !noTargets
        options.encoding = FeedEncoding(name: encoding)
        if let divisions { options.divisions = try DivisionDirectory(contentsOf: divisions) }
        var session = ComparisonSession(store: store, options: options)
        var reports: [ComparisonReport] = []
        for file in files {
            let fileName = (file as NSString).lastPathComponent
            let feedDate = date.flatMap(CalendarDate.init(iso:)) ?? FeedDescription.date(inFileName: fileName)!
            let feed = FeedDescription(kind: kind, name: name ?? fileName, date: feedDate)
            let registryBar = TerminalProgress(unit: "events")
            let rowBar = TerminalProgress(unit: "rows")
            do {
                let report = try await session.compare(file: file, feed: feed) { p in
                    switch p.phase {
                    case .readingRegistry: registryBar.update(done: p.done, fraction: p.fraction)
                    case .comparing, .ending: registryBar.finish(); rowBar.update(done: p.done, fraction: p.fraction)
                    }
                }
                registryBar.finish()
                rowBar.finish()
                reports.append(report)
                if format == .table { Terminal.writeOutput(Self.render(report, limit: showRejected == 0 ? nil : showRejected)) }
            } catch {
                registryBar.finish()
                rowBar.finish()
                throw error
            }
        }
        if format == .json { Terminal.writeOutput(try Self.json(reports)) }
        let rejected = reports.filter { $0.rejected > 0 }
        if !rejected.isEmpty {
            throw CommandFailure.rejectedInput(
                rejected.reduce(0) { $0 + $1.rejected }, of: reports.reduce(0) { $0 + $1.rowsRead }, "rows",
                in: rejected.map(\.feed.name))
        }
    }

    /// The reports as a JSON array (sorted keys).
    static func json(_ reports: [ComparisonReport]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(reports), as: UTF8.self) + "\n"
    }

    /// The report as text: a summary, the counts, the rejected rows, the new survey targets per county.
    static func render(_ r: ComparisonReport, limit: Int?) -> String {
        var out = "Compared \(r.feed.name) (\(r.feed.kind), \(r.feed.department), \(r.feed.date), \(r.encoding)): "
        out += "\(TerminalProgress.grouped(r.rowsRead)) rows in \(String(format: "%.2f", r.seconds)) s, "
        out += "\(TerminalProgress.grouped(r.eventsAppended)) facts appended (log head \(r.headPosition))\n"
        var columns = ["rows_read", "matched", "new_persons", "registered"]
        var values = [r.rowsRead, r.matched, r.newPersons, r.registered]
        if r.feed.kind == .marketRegulation { columns.append("new_employers"); values.append(r.newEmployers) }
        columns += ["changed", "unchanged", "rejected", "ended"]
        values += [r.changed, r.unchanged, r.rejected, r.ended]
        out += Self.table(columns, [values.map(String.init)])
        if r.rejected > 0 {
            out += "\nRejected rows: " + r.rejectedByCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
            let shown = r.rejections.prefix(limit ?? r.rejections.count)
            for x in shown { out += "  line \(x.line): \(x.code): \(x.reason)\n" }
            if r.rejected > shown.count { out += "  … and \(r.rejected - shown.count) more (--show-rejected 0 or --format json lists up to \(r.rejections.count))\n" }
        }
        if let targets = r.surveyTargets {
            out += "\nSurvey targets by county (to dispatch before and after; new: not on the list before)\n"
            out += Self.table(["county", "before", "after", "new"], targets.map { [$0.county, String($0.before), String($0.after), String($0.new)] })
        }
        return out
    }

    /// Aligned columns: text left, numbers right.
    static func table(_ columns: [String], _ rows: [[String]]) -> String {
        var widths = columns.map(\.count)
        for row in rows { for (k, v) in row.enumerated() { widths[k] = max(widths[k], v.count) } }
        func line(_ values: [String]) -> String {
            values.enumerated().map { k, v in
                let pad = String(repeating: " ", count: widths[k] - v.count)
                return (v.first?.isNumber ?? false) ? pad + v : v + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = line(columns) + "\n" + line(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}
