import ArgumentParser
import EventLog
import RegistryDomain
import RegistryProjections

/// `registry progress`: each target's actual figure, completion, gap and rank; the plan table of seed 004 annex 3;
/// a monthly series per area and type.
struct ProgressCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Progress against targets: actual, target, completion %, gap, rank, totals for parent areas; or a monthly series.",
        discussion: """
            Counts people where they are insured with --basis agency (as seed 004 annex 3 does). --plan TYPE prints \
            the annex-3 layout (area, contributors, plan, completion) for one type (or all). --series prints, per \
            area and month, contributors, new enrolments, interruptions and the coverage rate, ready to plot.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var projection: ProjectionOptions

    @Option(help: "Output format.")
    var format: FormatArgument = .table

    @Option(help: ArgumentHelp("Print the seed 004 annex 3 layout for this type (or all).", valueName: "TYPE"))
    var plan: String?

    @Option(help: ArgumentHelp("With --plan: the target kind (contributors by default).", valueName: "KIND"))
    var kind = TargetKind.contributors.rawValue

    @Flag(help: "The monthly series instead (needs --from and --to).")
    var series = false

    @Option(help: ArgumentHelp("With --series: first month.", valueName: "YYYY-MM"))
    var from: String?

    @Option(help: ArgumentHelp("With --series: last month.", valueName: "YYYY-MM"))
    var to: String?

    @Option(help: ArgumentHelp("With --series: the insurance type, or all.", valueName: "TYPE"))
    var type = "all"

    @Option(help: "With --series: area level.")
    var level: LevelArgument = .county

    func validate() throws {
        let types = "all or one of: \(InsuranceType.allCases.map(\.name).joined(separator: ", "))"
        if let plan, plan != "all", InsuranceType(name: plan) == nil { throw ValidationError("--plan takes \(types)") }
        guard TargetKind(rawValue: kind) != nil else { throw ValidationError("--kind takes one of: \(TargetKind.allCases.map(\.rawValue).joined(separator: ", "))") }
        guard type == "all" || InsuranceType(name: type) != nil else { throw ValidationError("--type takes \(types)") }
        if series {
            guard plan == nil else { throw ValidationError("give --plan or --series, not both") }
            guard let from, let to, let f = YearMonth(iso: from), let t = YearMonth(iso: to), f <= t, t.index - f.index < 240 else {
                throw ValidationError("--series needs --from and --to (YYYY-MM, at most 240 months, in order)")
            }
        } else if from != nil || to != nil {
            throw ValidationError("--from and --to go with --series")
        }
    }

    func run<S: EventStore>(on store: S) async throws {
        try await StoreHealth.requireIntact(store, at: storeOptions.location)
        let settings = projection.settings, cutoff = projection.cutoff
        let evaluation = cutoff.evaluationTime
        if series {
            let f = YearMonth(iso: from!)!, t = YearMonth(iso: to!)!
            let pair = try await projection.replay(
                ProjectionPair(TargetFold(settings: settings, cutoff: cutoff), MonthEndCoverage(settings: settings, from: f, to: t, cutoff: cutoff)),
                from: store)
            let table = pair.first.seriesTable(level: level.level, type: InsuranceType(name: type), from: f, to: t, coverageAtMonthEnd: pair.second.folds)
            Terminal.writeOutput(table.render(format.outputFormat))
            return
        }
        let pair = try await projection.replay(
            ProjectionPair(TargetFold(settings: settings, cutoff: cutoff), RegistryFold(settings: settings, cutoff: cutoff)), from: store)
        let table = plan.map { pair.first.planTable(at: evaluation, type: InsuranceType(name: $0), kind: TargetKind(rawValue: kind)!) }
            ?? pair.first.progressTable(at: evaluation, coverage: pair.second)
        Terminal.writeOutput(table.render(format.outputFormat))
    }
}
