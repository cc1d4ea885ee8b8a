import ArgumentParser
import EventLog
import RegistryDomain
import RegistryProjections

extension ProjectionOptions {
    /// Replays the store into any projection (built with this cut-off by the caller), with a progress bar on a
    /// terminal.
    func replay<S: EventStore, P: Projection>(_ projection: P, from store: S) async throws -> P {
        let bar = TerminalProgress(unit: "events")
        defer { bar.finish() }
        var p = projection
        try await ProjectionEngine.catchUp(&p, from: store) { bar.update(done: $0.events, fraction: $0.fraction) }
        return p
    }
}

/// The screening rules on the command line (`--min-unenrolled`, `--dispatch-keywords`).
struct EmployerRuleOptions: ParsableArguments, Sendable {
    @Option(help: "An employer goes on the screening worklist with at least this many un-enrolled staff (seed 004: 50).")
    var minUnenrolled = 50

    @Option(help: ArgumentHelp(
        "Comma-separated words of a registered name that make an employer a suspected labour-dispatch firm.", valueName: "WORDS"))
    var dispatchKeywords = LabourDispatchRule.standard.nameKeywords.joined(separator: ",")

    func validate() throws {
        guard minUnenrolled >= 1 else { throw ValidationError("--min-unenrolled must be at least 1") }
    }

    /// The settings.
    var settings: EmployerSettings {
        EmployerSettings(
            minimumUnenrolled: minUnenrolled,
            labourDispatch: LabourDispatchRule(nameKeywords: dispatchKeywords.split(separator: ",").map { String($0) }))
    }
}
