import ArgumentParser
import EventLog
import FileStore
import PostgresStore

/// The `--store` option every subcommand takes, and the opening of the store it names.
struct StoreOptions: ParsableArguments, Sendable {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The store: a directory (file store) or a postgresql:// connection string.",
            valueName: "DIR|URL"))
    var store: String = "./registry-data"

    /// The parsed location.
    var location: StoreLocation { StoreLocation(store) }

    /// Opens the store, runs `command` on it and closes it, whatever the outcome.
    ///
    /// A file store is opened read-only unless `writable` (so views run alongside a writer) and must exist then;
    /// a PostgreSQL store is always opened for writing (its schema is created or migrated on open).
    /// - Throws: ``CommandFailure`` for a missing store; the store's and the command's errors.
    func withStore<C: StoreCommand>(writable: Bool, run command: C) async throws {
        switch location {
        case .directory(let path):
            if !writable, !location.directoryExists {
                throw CommandFailure(
                    "no store found", at: path,
                    fix: "give --store a store directory or a postgresql:// URL, or create one with `registry import` or `registry demo`")
            }
            let opened = writable ? try FileEventStore(directory: path) : try FileEventStore.openReadOnly(directory: path)
            if opened.recovery.created { Terminal.note("registry: created a new store at \(path)") }
            if writable, opened.recovery.tornBytesCut > 0 {
                Terminal.note("registry: cut \(opened.recovery.tornBytesCut) bytes of a torn last write (never acknowledged) at the end of the log")
            }
            try await Self.run(command, on: opened)
        case .postgres(let connection):
            let opened = try await PostgresEventStore(.init(connectionString: connection))
            try await Self.run(command, on: opened)
        }
    }

    /// Runs a command on an open store, closing the store afterwards.
    static func run<C: StoreCommand, S: EventStore>(_ command: C, on store: S) async throws {
        do {
            try await command.run(on: store)
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }
}
