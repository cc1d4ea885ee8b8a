import ArgumentParser
import EventLog
import RegistryProjections

/// `registry ledger`: the dynamic-management ledgers.
struct LedgerCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Dynamic-management ledgers: should-be-insured-but-not cases, and interrupted contributors.",
        discussion: "Shows both tables by default; with --format csv or json choose one with --cases or --interruptions.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var projection: ProjectionOptions

    @Option(help: "Output format.")
    var format: FormatArgument = .table

    @Flag(help: "Only the ledger cases.")
    var cases = false

    @Flag(help: "Only the interrupted contributors.")
    var interruptions = false

    @Flag(help: "Only open cases (cleared cases are listed by default).")
    var openOnly = false

    @Option(help: "Rows per table at most (0 for all).")
    var limit = 50

    func validate() throws {
        if cases, interruptions { throw ValidationError("give --cases or --interruptions, not both") }
        if format != .table, !cases, !interruptions {
            throw ValidationError("with --format \(format.rawValue), choose one table: --cases or --interruptions")
        }
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
    }

    func run<S: EventStore>(on store: S) async throws {
        try await StoreHealth.requireIntact(store, at: storeOptions.location)
        let model = try await projection.model(from: store, at: storeOptions.location)
        let rows = limit == 0 ? nil : limit
        var parts: [String] = []
        if !interruptions { parts.append(model.ledgerTable(at: projection.cutoff.evaluationTime, includeCleared: !openOnly, limit: rows).render(format.outputFormat)) }
        if !cases {
            parts.append(model.interruptionsTable(at: projection.cutoff.evaluationTime, limit: rows).render(format.outputFormat))
        }
        Terminal.writeOutput(parts.joined(separator: "\n"))
    }
}
