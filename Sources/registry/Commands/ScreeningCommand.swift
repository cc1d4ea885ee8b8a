import ArgumentParser
import Foundation
import EventLog
import RegistryDomain
import RegistryProjections

/// `registry screening`: the employer screening worklist, its progress by units and by persons, and dispatching.
struct ScreeningCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "screening",
        abstract: "Employer screening: the worklist (un-enrolled staff, never insured, suspected labour dispatch), progress, dispatch.",
        discussion: """
            Without options, lists every open screening task with its state and every employer that meets a rule and \
            has no open task (toDispatch). --progress shows issued and screened by units and by persons per area \
            (seed 004 annex 4). --dispatch issues a task to the area of every employer still to dispatch.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var projection: ProjectionOptions
    @OptionGroup var rules: EmployerRuleOptions

    @Option(help: "Output format.")
    var format: FormatArgument = .table

    @Option(help: "Area level tasks are dispatched to and counted by.")
    var level: LevelArgument = .county

    @Flag(help: "Progress per area by units and by persons instead of the worklist.")
    var progress = false

    @Flag(help: "Issue a screening task for every employer still to dispatch (appends EmployerScreeningDispatched).")
    var dispatch = false

    @Option(help: ArgumentHelp("Who dispatches, recorded as the facts' actor (with --dispatch).", valueName: "WHO"))
    var by = "operator:registry"

    var writesToStore: Bool { dispatch }

    func validate() throws {
        if dispatch, progress { throw ValidationError("give --dispatch or --progress, not both") }
        if dispatch, projection.asOf != nil || projection.knownAt != nil {
            throw ValidationError("--dispatch works on the registry as it is now: leave out --as-of and --known-at")
        }
    }

    func run<S: EventStore>(on store: S) async throws {
        try await StoreHealth.requireIntact(store, at: storeOptions.location)
        let fold = try await projection.replay(EmployerFold(settings: rules.settings, cutoff: projection.cutoff), from: store)
        if dispatch {
            let handler = CommandHandler(store: store)
            let tasks = fold.screeningToDispatch(level: level.level)
            for (employer, task) in tasks {
                try await handler.record(.employerScreeningDispatched(task), for: employer, effective: .now, metadata: EventMetadata(actor: by))
            }
            Terminal.writeOutput("Dispatched \(LocalTime.count(tasks.count, "screening task")) (\(tasks.reduce(0) { $0 + Int($1.task.persons) }) persons)\n")
            return
        }
        let table = progress ? fold.screeningProgressTable(level: level.level) : fold.screeningTable(level: level.level)
        Terminal.writeOutput(table.render(format.outputFormat))
    }
}
