import ArgumentParser
import Foundation
import Logging

/// The `registry` command: operations on a CoverageRegistry event log (import and export, the projection views,
/// audit, verification, replay and the synthetic-city demo).
///
/// Every subcommand names its store with `--store` (or `REGISTRY_STORE`): a directory holds a file store
/// (`./registry-data` by default); a `postgresql://` URL, a libpq keyword string or `postgres:` names a PostgreSQL
/// store (``StoreLocation``).
///
/// Exit statuses follow sysexits(3) (``ExitStatus``): 0 on success, 3 when `verify` found damage, 64 usage,
/// 65 data refused, 66 no such store or input, 69 PostgreSQL unavailable, 70 a bug, 73 cannot create, 74 I/O error,
/// 75 temporary failure (store locked: retry), 77 permission denied.
///
/// Logs (stores' recovery, reconnects, replay progress) go to standard error at the level `REGISTRY_LOG_LEVEL`
/// names (`trace` … `critical`); nothing is logged by default.
@main
struct Registry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Universal social-insurance enrolment registry (全民参保登记) on an append-only event log.",
        discussion: """
            --store names the store: a directory (the file store, ./registry-data by default) or a \
            PostgreSQL connection string (postgresql://…, "host=… dbname=…", or postgres: for the PG* variables); \
            REGISTRY_STORE gives the default. Views open PostgreSQL read-only (a SELECT-only role can run them). \
            Personal data is masked in every output unless `history --reveal` is asked for, which records who \
            looked and why. Start with `registry demo`. REGISTRY_LOG_LEVEL=info logs to standard error.

            Exit status:
            \(ExitStatus.helpText)
            """,
        version: "0.1.0",
        subcommands: [
            DemoCommand.self,
            ImportCommand.self, ExportCommand.self,
            CompareCommand.self, DispatchCommand.self,
            CoverageCommand.self, WorklistCommand.self, LedgerCommand.self, StatsCommand.self,
            EmployersCommand.self, ScreeningCommand.self, TargetsCommand.self, ProgressCommand.self,
            HistoryCommand.self, ExplainCommand.self,
            VerifyCommand.self, RepairCommand.self, ReplayCommand.self, MigrateCommand.self,
        ]
    )

    /// Runs the command line. Every failure is one line on standard error, a usage error included
    /// (ArgumentParser's own report adds usage and help lines: `--help` prints those); the exit status is
    /// ArgumentParser's (64 for a usage error) or the command's.
    ///
    /// Logs go to standard error at `REGISTRY_LOG_LEVEL` (none by default).
    static func main() async {
        let level = ProcessInfo.processInfo.environment["REGISTRY_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        LoggingSystem.bootstrap { label in
            guard let level else { return SwiftLogNoOpLogHandler() }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
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
