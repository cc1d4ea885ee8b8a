import ArgumentParser
import EventLog
import RegistryProjections

/// `registry worklist`: who must be visited, and survey progress by area.
struct WorklistCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "worklist",
        abstract: "Survey worklists: progress by area, and the people to visit with their task state.",
        discussion: "Shows both tables by default; with --format csv or json choose one with --progress or --list.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var projection: ProjectionOptions

    @Option(help: "Output format.")
    var format: FormatArgument = .table

    @Option(help: "Area level of the progress table.")
    var level: LevelArgument = .county

    @Flag(help: "Only the progress table.")
    var progress = false

    @Flag(help: "Only the list of people to visit.")
    var list = false

    @Option(help: "People to list at most (0 for all).")
    var limit = 50

    func validate() throws {
        if progress, list { throw ValidationError("give --progress or --list, not both") }
        if format != .table, !progress, !list {
            throw ValidationError("with --format \(format.rawValue), choose one table: --progress or --list")
        }
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
    }

    func run<S: EventStore>(on store: S) async throws {
        try await StoreHealth.requireIntact(store, at: storeOptions.location)
        let model = try await projection.model(from: store, at: storeOptions.location)
        let at = projection.cutoff.evaluationTime
        var parts: [String] = []
        if !list { parts.append(model.worklistProgressTable(level: level.level, at: at).render(format.outputFormat)) }
        if !progress { parts.append(model.worklistTable(at: at, limit: limit == 0 ? nil : limit).render(format.outputFormat)) }
        Terminal.writeOutput(parts.joined(separator: "\n"))
    }
}
