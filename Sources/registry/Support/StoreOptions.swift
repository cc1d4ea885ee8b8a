import ArgumentParser
import EventLog
import FileStore
import PostgresStore

/// The `--store` option every subcommand takes, and the opening of the store it names.
struct StoreOptions: ParsableArguments, Sendable {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The store: a directory (file store), or PostgreSQL as a postgresql:// URL, a libpq keyword string (\"host=… dbname=…\") or postgres: (the PG* variables). Default: $REGISTRY_STORE, else ./registry-data.",
            valueName: "DIR|CONNINFO"))
    var store: String?

    /// The size at which a file store starts a new segment (hidden: the crash harness uses small segments so
    /// that kills land during roll-overs; the store's default otherwise).
    @Option(name: .long, help: .hidden)
    var segmentSize: Int?

    /// The parsed location: `--store`, else `REGISTRY_STORE`, else `./registry-data`.
    var location: StoreLocation { StoreLocation(option: store) }

    /// Opens the store, runs `command` on it and closes it, whatever the outcome.
    ///
    /// A store is opened read-only unless `writable`: a file store then runs alongside a writer and must exist; a
    /// PostgreSQL store is neither created nor migrated, so a role with `SELECT` alone can run every view
    /// (`registry migrate` or a writing command creates and migrates the schema).
    /// - Parameters:
    ///   - writable: whether the command appends.
    ///   - applicationName: the PostgreSQL connections' `application_name`, such as `registry-import`.
    ///   - command: the command.
    /// - Throws: ``CommandFailure`` for a missing store; the store's and the command's errors.
    func withStore<C: StoreCommand>(writable: Bool, applicationName: String, run command: C) async throws {
        let location = self.location
        switch location {
        case .directory(let path):
            if !writable, !location.directoryExists {
                throw CommandFailure(
                    "no store found", at: path,
                    fix: "give --store (or REGISTRY_STORE) a store directory or a PostgreSQL connection string, or create one with `registry import` or `registry demo`",
                    status: .noInput)
            }
            if writable { try Self.checkWritableDirectory(path) }
            var options = FileEventStore.Options(readOnly: !writable)
            if let segmentSize { options.segmentSize = segmentSize }
            let opened = try await FileEventStore.open(directory: path, options: options)
            if opened.recovery.created { Terminal.note("registry: created a new store at \(path)") }
            if writable, opened.recovery.tornBytesCut > 0 {
                Terminal.note("registry: cut \(opened.recovery.tornBytesCut) bytes of a torn last write (never acknowledged) at the end of the log")
            }
            try await Self.run(command, on: opened)
        case .postgres(let connection):
            let opened = try await PostgresEventStore(Self.postgresConfiguration(
                connection, writable: writable, applicationName: applicationName))
            try await Self.run(command, on: opened)
        }
    }

    /// How the command opens a PostgreSQL store: read-only unless it writes, its name in `pg_stat_activity`, and
    /// a connect timeout of 10 s (unless the connection string or `PGCONNECT_TIMEOUT` sets one).
    static func postgresConfiguration(_ connection: String, writable: Bool, applicationName: String) -> PostgresEventStore.Configuration {
        PostgresEventStore.Configuration(
            connectionString: connection, access: writable ? .readWrite : .readOnly,
            applicationName: applicationName, connectTimeout: .seconds(10))
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
