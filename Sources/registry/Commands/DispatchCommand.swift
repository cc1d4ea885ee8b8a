import ArgumentParser
import EventLog
import Foundation
import RegistryComparison
import RegistryDomain

/// `registry dispatch --area CODE`: turns an area's "to dispatch" list into survey tasks assigned to teams.
struct DispatchCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "Dispatch an area's survey targets (the worklist's to-dispatch list) to survey teams.",
        discussion: """
            Everyone in the area who must be visited and has no task (the worklist's "to dispatch": inmates, the \
            deceased and the insured elsewhere are not on it) gets a SurveyTaskDispatched assigned to the team of \
            their community, from --teams (a CSV file `division,team` or a JSON object; the most specific listed \
            division wins; `*` is the default) or --default-team. Running it twice dispatches nobody twice.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("The county, street or community (6, 9 or 12 digits).", valueName: "CODE"))
    var area: String

    @Option(help: ArgumentHelp("The team per community: CSV `division,team` or a JSON object.", valueName: "FILE"))
    var teams: String?

    @Option(help: ArgumentHelp("The team for communities the mapping does not cover.", valueName: "TEAM"))
    var defaultTeam: String?

    @Option(help: "Why: unenrolledAfterComparison, newlyUnenrolled, contributionInterrupted or dataIncomplete.")
    var reason = "unenrolledAfterComparison"

    @Option(help: ArgumentHelp("Who dispatches (the facts' actor).", valueName: "WHO"))
    var by = "operator:dispatch"

    @Flag(help: "Count without dispatching.")
    var dryRun = false

    @Option(help: "Output format: table or json.")
    var format: FormatArgument = .table

    var writesToStore: Bool { true }

    func validate() throws {
        guard DivisionCode(validating: area) != nil else { throw ValidationError("--area must be a division code of 6, 9 or 12 digits") }
        guard teams != nil || defaultTeam != nil else { throw ValidationError("give --teams FILE or --default-team TEAM") }
        guard SurveyTaskReason(rawValue: reason) != nil else {
            throw ValidationError("--reason must be one of \(SurveyTaskReason.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if format == .csv { throw ValidationError("--format must be table or json") }
    }

    func run<S: EventStore>(on store: S) async throws {
        try await StoreHealth.requireIntact(store, at: storeOptions.location)
        var assignment = try teams.map { try TeamAssignment(contentsOf: $0) } ?? TeamAssignment()
        if let defaultTeam { assignment.defaultTeam = defaultTeam }
        var dispatcher = SurveyDispatcher(store: store, teams: assignment)
        dispatcher.reason = SurveyTaskReason(rawValue: reason)!
        dispatcher.actor = by
        let report = try await dispatcher.dispatch(area: try DivisionCode(area), dryRun: dryRun)
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            Terminal.writeOutput(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n")
        default:
            var out = "\(dryRun ? "Would dispatch" : "Dispatched") \(report.dispatched) of \(report.toDispatch) to dispatch in \(report.area)"
            if report.unassigned > 0 { out += "; \(report.unassigned) with no team for their community (not dispatched)" }
            if report.conflicts > 0 { out += "; \(report.conflicts) changed under the run (re-run to dispatch them)" }
            out += "\n"
            if !report.rows.isEmpty {
                out += CompareCommand.table(["community", "team", "persons"], report.rows.map { [$0.community, $0.team ?? "(no team)", String($0.persons)] })
            }
            Terminal.writeOutput(out)
        }
    }
}
