import EventLog
import ServiceLifecycle

extension InMemoryEventStore: Service {
    /// Keeps the store open until graceful shutdown or cancellation, then closes it (waiters fail with
    /// `EventLogError/Code/storeClosed`).
    public func run() async throws {
        try? await gracefulShutdown()
        try await close()
    }
}
