import FuzzSupport
import EventLog
import MemoryStore

/// A store whose append calls fail (throw) after a number of successful ones: a run killed between batches.
final class FailingStore: ForwardingEventStore, @unchecked Sendable {
    // @unchecked: `remaining` is only touched by the one test task driving the run, one call at a time.
    let inner: InMemoryEventStore
    var remaining: Int

    struct Killed: Error {}

    init(_ inner: InMemoryEventStore, appendsBeforeFailure: Int) {
        self.inner = inner
        remaining = appendsBeforeFailure
    }

    func append(_ requests: [StreamAppend]) async throws -> [Result<AppendResult, EventLogError>] {
        if remaining == 0 { throw Killed() }
        remaining -= 1
        return try await inner.append(requests)
    }
}
