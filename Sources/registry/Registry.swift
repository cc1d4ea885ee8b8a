import ArgumentParser
import Foundation

/// The `registry` command: operations on a CoverageRegistry event log (import and export, the projection views,
/// audit, verification, replay and the synthetic-city demo).
///
/// Every subcommand names its store with `--store`: a directory holds a file store (`./registry-data` by default),
/// a `postgresql://` or `postgres://` URL names a PostgreSQL store.
///
/// Exit status: 0 on success; 1 when the command failed (one line on standard error says what, where and what to
/// do) or an import rejected lines; 3 when `verify` found damage; 64 for a usage error.
@main
struct Registry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Universal social-insurance enrolment registry (全民参保登记) on an append-only event log.",
        discussion: """
            --store names the store: a directory (the file store, ./registry-data by default) or a \
            postgresql:// connection string. Personal data is masked in every output unless `history --reveal` \
            is asked for, which records who looked and why. Start with `registry demo`.
            """,
        version: "0.1.0",
        subcommands: [
            DemoCommand.self,
            ImportCommand.self, ExportCommand.self,
            CompareCommand.self, DispatchCommand.self,
            CoverageCommand.self, WorklistCommand.self, LedgerCommand.self, StatsCommand.self,
            EmployersCommand.self, ScreeningCommand.self, TargetsCommand.self, ProgressCommand.self,
            HistoryCommand.self, ExplainCommand.self,
            VerifyCommand.self, RepairCommand.self, ReplayCommand.self,
        ]
    )

    /// Runs the command line. Every failure is one line on standard error, a usage error included
    /// (ArgumentParser's own report adds usage and help lines: `--help` prints those); the exit status is
    /// ArgumentParser's (64 for a usage error) or the command's.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            // Help and version requests (and a plain ExitCode) keep ArgumentParser's own output.
            guard code != .success, let line = UsageLine(Registry.message(for: error)) else { exit(withError: error) }
            Terminal.error(line.text)
            Foundation.exit(code.rawValue)
        }
    }
}
