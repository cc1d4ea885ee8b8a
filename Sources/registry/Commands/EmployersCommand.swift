import ArgumentParser
import EventLog
import RegistryDomain
import RegistryProjections

/// `registry employers`: per employer, staff known from sources, enrolled through it per type, not enrolled (漏保),
/// selective enrolment; or totals by area.
struct EmployersCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "employers",
        abstract: "Employer staff coverage: staff known from sources, enrolled through the employer per type, not enrolled, selective.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var projection: ProjectionOptions

    @Option(help: "Output format.")
    var format: FormatArgument = .table

    @Option(help: "Area level of the employer's area.")
    var level: LevelArgument = .county

    @Flag(help: "Only the totals per area.")
    var totals = false

    func run<S: EventStore>(on store: S) async throws {
        try await StoreHealth.requireIntact(store, at: storeOptions.location)
        let fold = try await projection.replay(EmployerFold(cutoff: projection.cutoff), from: store)
        let table = totals ? fold.employerAreaTable(level: level.level) : fold.employerTable(level: level.level)
        Terminal.writeOutput(table.render(format.outputFormat))
    }
}
