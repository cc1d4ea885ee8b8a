import ArgumentParser
import EventLog
import RegistryDomain
import RegistryProjections

/// `registry coverage`: coverage by area and insurance type.
struct CoverageCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Coverage by area and insurance type: known, registered, enrolled, interrupted, exempt, rates.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var projection: ProjectionOptions

    @Option(help: "Output format.")
    var format: FormatArgument = .table

    @Option(help: "Area level to group by.")
    var level: LevelArgument = .county

    @Option(help: ArgumentHelp(
        "Only this insurance type: \(InsuranceType.allCases.map(\.name).joined(separator: ", ")).", valueName: "TYPE"))
    var type: String?

    @Flag(help: "Only the all-types totals per area.")
    var totals = false

    func validate() throws {
        if let type, InsuranceType(name: type) == nil {
            throw ValidationError("--type takes one of: \(InsuranceType.allCases.map(\.name).joined(separator: ", "))")
        }
        if type != nil, totals { throw ValidationError("give --type or --totals, not both") }
    }

    func run<S: EventStore>(on store: S) async throws {
        try await StoreHealth.requireIntact(store, at: storeOptions.location)
        let model = try await projection.model(from: store, at: storeOptions.location)
        let table = model.coverageTable(
            level: level.level, at: projection.cutoff.evaluationTime, type: type.flatMap(InsuranceType.init(name:)),
            totalsOnly: totals)
        Terminal.writeOutput(table.render(format.outputFormat))
    }
}
