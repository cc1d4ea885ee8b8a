import ArgumentParser
import EventLog
import RegistryProjections

/// `registry stats`: monthly statistics by county.
struct StatsCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Monthly statistics by county: unenrolled found and cleared, open cases, enrolments, interruptions.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var projection: ProjectionOptions

    @Option(help: "Output format.")
    var format: FormatArgument = .table

    func run<S: EventStore>(on store: S) async throws {
        try await StoreHealth.requireIntact(store, at: storeOptions.location)
        let model = try await projection.model(from: store, at: storeOptions.location)
        Terminal.writeOutput(model.monthlyTable(at: projection.cutoff.evaluationTime).render(format.outputFormat))
    }
}
