import EventLog
import MemoryStore

/// A store whose append calls fail (throw) after a number of successful ones: a run killed between batches.
final class FailingStore: EventStore, @unchecked Sendable {
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
    func read(from position: LogPosition, filter: LogFilter, maxCount: Int) async throws -> EventBatch {
        try await inner.read(from: position, filter: filter, maxCount: maxCount)
    }
    func readStream(_ stream: StreamID, from version: StreamVersion, direction: ReadDirection, maxCount: Int) async throws -> [RecordedEvent] {
        try await inner.readStream(stream, from: version, direction: direction, maxCount: maxCount)
    }
    func headPosition() async throws -> LogPosition { try await inner.headPosition() }
    func streamVersion(of stream: StreamID) async throws -> StreamVersion? { try await inner.streamVersion(of: stream) }
    func waitForAppend(after position: LogPosition) async throws { try await inner.waitForAppend(after: position) }
    func close() async throws { try await inner.close() }
}
