import EventLog
import Synchronization

/// Starts a store's listener once, on first need, and says at close whether there is a thread to stop.
actor ListenerStart {
    private var task: Task<Void, any Error>?
    private var stopped = false
    /// Set once the listener runs: the fast path of every later wait, without a hop to this actor.
    nonisolated let running = Atomic<Bool>(false)

    /// Starts the listener unless it runs; concurrent callers wait for the same start.
    /// - Throws: `EventLogError/Code/storeClosed` after ``stop()``; why the listener could not connect (a later
    ///   call tries again).
    func start(_ listener: PGListener) async throws {
        if stopped { throw EventLogError(.storeClosed, "the store was closed") }
        let starting = task ?? Task { try await listener.start() }
        task = starting
        do {
            try await starting.value
            running.store(true, ordering: .releasing)
        } catch {
            if task == starting { task = nil }
            throw error
        }
    }

    /// Refuses later starts; returns whether a listener thread was started (and so must be stopped).
    func stop() async -> Bool {
        stopped = true
        guard let task else { return false }
        return (try? await task.value) != nil
    }
}
