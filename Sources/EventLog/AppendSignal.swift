import Synchronization

/// Wakes tasks waiting for the log's head to pass a position: what in-process stores use for
/// ``EventStore/waitForAppend(after:)``.
public final class AppendSignal: Sendable {
    private struct Waiter {
        let after: LogPosition
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var head: LogPosition = 0
        var closed = false
        var nextID = 0
        var waiters: [Int: Waiter] = [:]
    }

    private let state = Mutex(State())

    /// Creates a signal whose head starts at `head`.
    public init(head: LogPosition = 0) {
        state.withLock { $0.head = head }
    }

    /// The last published head.
    public var head: LogPosition { state.withLock { $0.head } }

    /// Publishes a new head and wakes every waiter it passes.
    public func publish(head: LogPosition) {
        let woken: [CheckedContinuation<Void, any Error>] = state.withLock { s in
            s.head = max(s.head, head)
            var ready: [CheckedContinuation<Void, any Error>] = []
            for (id, w) in s.waiters where w.after < s.head {
                ready.append(w.continuation)
                s.waiters[id] = nil
            }
            return ready
        }
        for c in woken { c.resume() }
    }

    /// Fails every waiter and every later wait with ``EventLogError/Code/storeClosed``.
    public func close() {
        let all: [CheckedContinuation<Void, any Error>] = state.withLock { s in
            s.closed = true
            defer { s.waiters = [:] }
            return s.waiters.values.map(\.continuation)
        }
        for c in all { c.resume(throwing: EventLogError(.storeClosed, "the store was closed")) }
    }

    /// Returns once the head is beyond `position`.
    /// - Throws: `CancellationError`, or ``EventLogError/Code/storeClosed``.
    public func wait(after position: LogPosition) async throws {
        let id: Int? = try state.withLock { s in
            if s.closed { throw EventLogError(.storeClosed, "the store was closed") }
            if s.head > position { return nil }
            s.nextID += 1
            return s.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let resumeNow: (any Error)?? = state.withLock { s in
                    if s.closed { return .some(EventLogError(.storeClosed, "the store was closed")) }
                    if Task.isCancelled { return .some(CancellationError()) }
                    if s.head > position { return .some(nil) }
                    s.waiters[id] = Waiter(after: position, continuation: c)
                    return nil
                }
                switch resumeNow {
                case .none: break
                case .some(.none): c.resume()
                case .some(.some(let error)): c.resume(throwing: error)
                }
            }
        } onCancel: {
            let c = state.withLock { s in s.waiters.removeValue(forKey: id)?.continuation }
            c?.resume(throwing: CancellationError())
        }
    }
}
