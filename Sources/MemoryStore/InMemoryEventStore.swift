import EventLog
import Foundation
import Synchronization

/// An event store held in memory: for tests, examples and short-lived tools.
///
/// It meets the whole `EventStore` contract except durability: everything is gone when the process ends.
public final class InMemoryEventStore: EventStore {
    struct Stream {
        var positions: [LogPosition] = []
    }

    struct State {
        /// Record bodies in canonical form; index = position - 1.
        var bodies: [[UInt8]] = []
        var streams: [StreamID: Stream] = [:]
        /// Every event id in the log, whatever its stream: ids are unique across the log.
        var ids: [UUID: LogPosition] = [:]
        var headHash = RecordHash.genesis
        var closed = false
    }

    private let state = Mutex(State())
    private let signal = AppendSignal()
    private let clock: @Sendable () -> Timestamp

    /// Creates an empty store.
    /// - Parameter clock: the source of recorded times (the system clock by default).
    public init(clock: @escaping @Sendable () -> Timestamp = { .now }) {
        self.clock = clock
    }

    public func append(_ requests: [StreamAppend]) async throws -> [Result<AppendResult, EventLogError>] {
        let (results, head) = try state.withLock { s throws(EventLogError) in
            guard !s.closed else { throw EventLogError(.storeClosed, "the store was closed") }
            let results = requests.map { request in Result { () throws(EventLogError) in try Self.apply(request, to: &s, at: clock()) } }
            return (results, LogPosition(s.bodies.count))
        }
        signal.publish(head: head)
        return results
    }

    private static func apply(_ request: StreamAppend, to s: inout State, at now: Timestamp) throws(EventLogError) -> AppendResult {
        try RecordFormat.validate(request)
        let existing = request.events.compactMap { s.ids[$0.id] }.map { view(s.bodies[Int($0 - 1)]) }
        if let earlier = try Idempotency.judge(request, existing: existing) { return earlier }
        let stream = s.streams[request.stream]
        let current = stream.map { StreamVersion($0.positions.count - 1) }
        guard request.expected.isSatisfied(byCurrent: current) else {
            throw EventLogError(
                .wrongExpectedVersion,
                "expected \(request.expected), but the stream is at \(current.map { "version \($0)" } ?? "no stream")",
                stream: request.stream)
        }
        var entry = stream ?? Stream()
        var version = current.map { $0 + 1 } ?? 0
        let first = LogPosition(s.bodies.count + 1)
        for event in request.events {
            let position = LogPosition(s.bodies.count + 1)
            var body: [UInt8] = []
            s.headHash = RecordFormat.encode(
                event, stream: request.stream, position: position, streamVersion: version, recordedTime: now,
                previousHash: s.headHash, into: &body)
            s.bodies.append(body)
            entry.positions.append(position)
            s.ids[event.id] = position
            version += 1
        }
        s.streams[request.stream] = entry
        return AppendResult(streamVersion: version - 1, positions: first...LogPosition(s.bodies.count), wasAlreadyAppended: false)
    }

    private static func view(_ body: [UInt8]) -> RecordedEvent {
        body.withUnsafeBytes { RecordView(body: $0).materialize() }
    }

    public func read(from position: LogPosition, filter: LogFilter, maxCount: Int) async throws -> EventBatch {
        try state.withLock { s throws(EventLogError) in
            guard !s.closed else { throw EventLogError(.storeClosed, "the store was closed") }
            var builder = EventBatchBuilder()
            var index = Int(max(position, 1)) - 1
            while index < s.bodies.count, builder.count < maxCount {
                s.bodies[index].withUnsafeBytes { raw in
                    if filter.matches(RecordView(body: raw)) { builder.append(body: raw) }
                }
                index += 1
            }
            return builder.build(nextPosition: LogPosition(index + 1))
        }
    }

    public func readStream(_ stream: StreamID, from version: StreamVersion, direction: ReadDirection, maxCount: Int) async throws -> [RecordedEvent] {
        try state.withLock { s throws(EventLogError) in
            guard !s.closed else { throw EventLogError(.storeClosed, "the store was closed") }
            guard let entry = s.streams[stream], !entry.positions.isEmpty, maxCount > 0 else { return [] }
            let positions: ArraySlice<LogPosition>
            switch direction {
            case .forward:
                guard version < entry.positions.count else { return [] }
                positions = entry.positions[Int(version)...].prefix(maxCount)
            case .backward:
                let top = Int(min(version, StreamVersion(entry.positions.count - 1)))
                positions = ArraySlice(entry.positions[...top].reversed().prefix(maxCount))
            }
            return positions.map { Self.view(s.bodies[Int($0 - 1)]) }
        }
    }

    public func headPosition() async throws -> LogPosition {
        state.withLock { LogPosition($0.bodies.count) }
    }

    public func streamVersion(of stream: StreamID) async throws -> StreamVersion? {
        state.withLock { s in s.streams[stream].map { StreamVersion($0.positions.count - 1) } }
    }

    /// Every answer under one lock: one moment of the log.
    public func streamVersions(_ streams: [StreamID]) async throws -> [StreamVersion?] {
        state.withLock { s in streams.map { stream in s.streams[stream].map { StreamVersion($0.positions.count - 1) } } }
    }

    public func waitForAppend(after position: LogPosition) async throws {
        try await signal.wait(after: position)
    }

    public func close() async throws {
        state.withLock { $0.closed = true }
        signal.close()
    }
}
