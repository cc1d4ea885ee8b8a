import ArgumentParser
import EventLog
import FileStore
import PostgresStore

/// `registry migrate`: creates or migrates a PostgreSQL store's schema (views never do: a read-only role can run
/// them), or creates an empty file store.
struct MigrateCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or migrate the store's schema (PostgreSQL) or create an empty store (directory); views never do.",
        discussion: """
            Views open a store read-only: on PostgreSQL they create and change nothing, so a role with SELECT alone \
            can run them. A writing command (import, history --reveal) creates or migrates the schema itself; \
            `migrate` does it alone, for a role allowed to (CREATE on the database).
            """)

    @OptionGroup var storeOptions: StoreOptions

    var writesToStore: Bool { true }

    func run<S: EventStore>(on store: S) async throws {
        let head = try await store.headPosition()
        Terminal.writeOutput("store ready at \(storeOptions.location): \(head) events\n")
    }
}
