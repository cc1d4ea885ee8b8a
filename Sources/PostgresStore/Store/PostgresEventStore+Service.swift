import EventLog
import Logging
import ServiceLifecycle

extension PostgresEventStore: Service {
    /// Listens for appends (`LISTEN`/`NOTIFY`) until graceful shutdown or cancellation, then closes the store:
    /// queued appends finish, the listener thread stops and every connection closes.
    ///
    /// A store that is never run starts its listener on the first ``waitForAppend(after:)`` instead.
    /// - Throws: `EventLogError` when the listener cannot connect.
    public func run() async throws {
        do {
            try await startListening()
        } catch {
            try? await close()
            throw error
        }
        try? await gracefulShutdown()
        logger.debug("postgres store closing", metadata: ["schema": "\(schema.name)"])
        try await close()
    }

    /// Starts the listener thread unless it runs (the first wait for an append and ``run()`` call it).
    package func startListening() async throws {
        if listening.running.load(ordering: .acquiring) { return }
        try await listening.start(listener)
    }
}
