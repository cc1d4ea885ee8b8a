import ArgumentParser
import EventLog

/// A subcommand that works on one store: it declares how to open it and does its work generically over the
/// store type, so the file and PostgreSQL stores run the same code without existentials.
protocol StoreCommand: AsyncParsableCommand {
    /// The `--store` option.
    var storeOptions: StoreOptions { get }
    /// Whether the command appends (a file store is then opened for writing, taking its lock).
    var writesToStore: Bool { get }
    /// The command's work on the opened store.
    /// - Throws: anything; ``run()`` turns it into one line on standard error and a non-zero exit status.
    func run<S: EventStore>(on store: S) async throws
}

extension StoreCommand {
    var writesToStore: Bool { false }

    /// The `application_name` of the command's PostgreSQL connections: `registry-<subcommand>`.
    static var applicationName: String { "registry-" + (configuration.commandName ?? "command") }

    /// Opens the store, runs the command, and reports a failure as one line and its ``ExitStatus``.
    mutating func run() async throws {
        let options = storeOptions
        let writable = writesToStore
        let command = self
        try await CommandFailure.reporting(store: options.location) {
            try await options.withStore(writable: writable, applicationName: Self.applicationName, run: command)
        }
    }
}
