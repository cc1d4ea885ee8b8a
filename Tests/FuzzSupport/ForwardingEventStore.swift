import EventLog

/// A test store that hands every call of the log contract to another store: a test's wrapper (a store that fails, races
/// or counts) conforms, implements the one or two calls it changes, and forwards the rest by this extension.
///
/// Only the calls every store must implement are forwarded; the ones `EventStore` gives defaults for
/// (`streamVersions`, `holdsEvents`, `knownDamage`, `auditStorage`) keep their defaults, which call back through the
/// wrapper, so a wrapper that changes `streamVersion(of:)` or `readStream` changes them too. A wrapper that wants the
/// inner store's own answers implements them.
public protocol ForwardingEventStore: EventStore {
    associatedtype Inner: EventStore
    /// The store the calls are handed to.
    var inner: Inner { get }
}

extension ForwardingEventStore {
    public func append(_ requests: [StreamAppend]) async throws -> [Result<AppendResult, EventLogError>] {
        try await inner.append(requests)
    }
    public func read(from position: LogPosition, filter: LogFilter, maxCount: Int) async throws -> EventBatch {
        try await inner.read(from: position, filter: filter, maxCount: maxCount)
    }
    public func readStream(_ stream: StreamID, from version: StreamVersion, direction: ReadDirection, maxCount: Int) async throws -> [RecordedEvent] {
        try await inner.readStream(stream, from: version, direction: direction, maxCount: maxCount)
    }
    public func headPosition() async throws -> LogPosition { try await inner.headPosition() }
    public func streamVersion(of stream: StreamID) async throws -> StreamVersion? { try await inner.streamVersion(of: stream) }
    public func waitForAppend(after position: LogPosition) async throws { try await inner.waitForAppend(after: position) }
    public func close() async throws { try await inner.close() }
}
