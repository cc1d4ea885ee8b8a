import Foundation

/// Which records a log read returns.
public struct LogFilter: Sendable, Hashable, CustomStringConvertible {
    /// The category to keep, or nil for every record.
    public let category: String?

    /// Every record.
    public static let all = LogFilter(category: nil)

    /// The records of one category: streams whose id starts with `category-` (or equals `category`).
    public static func category(_ name: String) -> LogFilter { LogFilter(category: name) }

    /// Whether a record passes the filter, without allocating.
    @inlinable
    public func matches(_ record: RecordView) -> Bool {
        guard let category else { return true }
        var name = category
        return name.withUTF8 { record.isInCategory(UnsafeRawBufferPointer($0)) }
    }

    /// Whether a stream passes the filter.
    public func matches(_ stream: StreamID) -> Bool {
        guard let category else { return true }
        return stream.category == category
    }

    public var description: String { category.map { "category \($0)" } ?? "all" }
}

/// The direction of a stream read.
public enum ReadDirection: Sendable, Hashable {
    /// From the given version towards the newest.
    case forward
    /// From the given version towards the oldest.
    case backward
}

/// The contract every event store meets: an append-only log of streams with a global order.
///
/// Stores are the in-memory store, the file store (the embedded default) and the PostgreSQL store; one
/// conformance suite (`EventStoreConformance`) holds each of them to this contract.
///
/// - Appends are atomic per stream, checked against an ``ExpectedVersion``, and durable when they return (for
///   stores that persist).
/// - Event ids are unique across the whole log: an id already used in another stream is refused with
///   ``EventLogError/Code/duplicateEventID``; the same request sent again to its own stream is an idempotent
///   re-append (``AppendResult/wasAlreadyAppended``). ``Idempotency`` holds the rule.
/// - Every store accepts exactly the same requests: ``RecordFormat/validate(_:)`` decides (U+0000 is refused in
///   every text field, effective times must lie in the years 1 to 9999), so a log exported from one store
///   restores into any other.
/// - Every recorded event has a global position: strictly increasing in commit order, without gaps, and a
///   reader never sees position *n + 1* before *n*.
/// - Reads hand out ``EventBatch``es, never one event per async step.
/// - Errors thrown are ``EventLogError``s (or `CancellationError`).
///
/// ## Topics
/// ### Writing
/// - ``append(_:)``
/// ### Reading
/// - ``read(from:filter:maxCount:)``
/// - ``readStream(_:from:direction:maxCount:)``
/// - ``headPosition()``
/// - ``streamVersion(of:)``
/// - ``streamVersions(_:)``
/// ### Following
/// - ``waitForAppend(after:)``
public protocol EventStore: Sendable {
    /// Appends to many streams at once; each request is atomic on its own and is judged on its own.
    ///
    /// Requests are applied in order, so a later request sees the effect of an earlier one to the same stream.
    /// A durable store makes every successful request durable before returning.
    /// - Parameter requests: the appends.
    /// - Returns: one result per request, in order: the positions written, or the typed error that left that
    ///   request's stream untouched (``EventLogError/Code/wrongExpectedVersion``,
    ///   ``EventLogError/Code/duplicateEventID`` for an id used in another stream or reused with other content,
    ///   ``EventLogError/Code/invalidEvent`` and ``EventLogError/Code/invalidStreamID`` for what
    ///   ``RecordFormat/validate(_:)`` refuses).
    /// - Throws: only for failures of the store as a whole (closed, I/O); then no request of the call is
    ///   acknowledged.
    func append(_ requests: [StreamAppend]) async throws -> [Result<AppendResult, EventLogError>]

    /// Reads records in global order starting at `position`, keeping those that pass `filter`.
    ///
    /// Only committed records are returned, and never a record beyond a gap.
    /// - Parameters:
    ///   - position: the first position to look at (1 is the first record).
    ///   - filter: which records to keep.
    ///   - maxCount: the most records to return.
    /// - Returns: a batch, empty when nothing at or after `position` is committed yet; its
    ///   ``EventBatch/nextPosition`` says where to continue.
    /// - Throws: ``EventLogError/Code/corruptRecord`` when a stored record fails its checks.
    func read(from position: LogPosition, filter: LogFilter, maxCount: Int) async throws -> EventBatch

    /// Reads one stream from a version, forward or backward.
    /// - Parameters:
    ///   - stream: the stream.
    ///   - version: the first version to return; `StreamVersion.max` with `.backward` starts at the newest.
    ///   - direction: forward or backward.
    ///   - maxCount: the most events to return.
    /// - Returns: the events, empty when the stream does not exist.
    func readStream(_ stream: StreamID, from version: StreamVersion, direction: ReadDirection, maxCount: Int) async throws -> [RecordedEvent]

    /// The last committed position, 0 for an empty log.
    func headPosition() async throws -> LogPosition

    /// The version of a stream's last event, or nil when the stream does not exist.
    func streamVersion(of stream: StreamID) async throws -> StreamVersion?

    /// The version of each stream's last event (nil for a stream that does not exist), in the order asked, in one
    /// call: what ``streamVersion(of:)`` gives for each, as of one moment for a store that answers from memory.
    ///
    /// For a caller that must tell new streams from known ones before reading them (an import judging a batch of
    /// lines): the file store answers from its writer's version table, without the segment-index look-ups a read
    /// of a stream that does not exist costs. The default asks ``streamVersion(of:)`` for each stream.
    func streamVersions(_ streams: [StreamID]) async throws -> [StreamVersion?]

    /// For each event id, whether the log holds an event with that id on the stream beside it (`ids[i]` on
    /// `streams[i]`): what reading that stream and looking for the id gives.
    ///
    /// For an import that judges a stream without reading it (its state taken from elsewhere) and must still leave
    /// a line already in that stream to the store's idempotency. The file store answers from its writer's id filter
    /// (an id it has never seen is answered without a read) and reads back only the records a possible id points to;
    /// the default reads each stream named once.
    func holdsEvents(_ ids: [UUID], on streams: [StreamID]) async throws -> [Bool]

    /// Returns once the head is beyond `position`: the wake-up of live subscriptions.
    /// - Throws: `CancellationError` when the waiting task is cancelled, ``EventLogError/Code/storeClosed``.
    func waitForAppend(after position: LogPosition) async throws

    /// Releases the store's resources. Appends after closing fail with ``EventLogError/Code/storeClosed``.
    func close() async throws

    /// Damage the store already knows of beyond its readable head (found when it was opened), if any.
    /// ``LogVerifier`` reports it; reads stop short of it.
    func knownDamage() async -> EventLogError?


    /// Whether ``read(from:filter:maxCount:)`` itself checks every record's chain hash against its predecessor's
    /// (the file store does). When false, ``readAll(from:filter:batchSize:)`` and ``subscribe(from:filter:batchSize:)``
    /// check it for unfiltered reads, so an altered record fails with ``EventLogError/Code/hashChainBroken`` in every
    /// store rather than reaching a view or an export.
    var checksChainOnRead: Bool { get }

    /// Checks the store's own bookkeeping against its records (the file store's index files; a store's declared
    /// head against its last record), for ``LogVerifier``; nil when they agree.
    func auditStorage() async -> EventLogError?
}

extension EventStore {
    /// No known damage.
    public func knownDamage() async -> EventLogError? { nil }

    /// Nothing to audit beyond the records.
    public func auditStorage() async -> EventLogError? { nil }

    /// Asks ``streamVersion(of:)`` for each stream in turn.
    public func streamVersions(_ streams: [StreamID]) async throws -> [StreamVersion?] {
        var versions: [StreamVersion?] = []
        versions.reserveCapacity(streams.count)
        for stream in streams { versions.append(try await streamVersion(of: stream)) }
        return versions
    }

    /// Reads each stream named once and looks for the ids in it.
    public func holdsEvents(_ ids: [UUID], on streams: [StreamID]) async throws -> [Bool] {
        precondition(ids.count == streams.count, "one stream per id")
        var held: [StreamID: Set<UUID>] = [:]
        var answers: [Bool] = []
        answers.reserveCapacity(ids.count)
        for (id, stream) in zip(ids, streams) {
            if held[stream] == nil { held[stream] = Set(try await readStream(stream).map(\.id)) }
            answers.append(held[stream]!.contains(id))
        }
        return answers
    }

    /// Reads do not check the chain: ``LogReader`` does.
    public var checksChainOnRead: Bool { false }
}

extension EventStore {
    /// Appends events to one stream atomically.
    /// - Parameters:
    ///   - events: the events, at least one.
    ///   - stream: the stream.
    ///   - expected: what the stream must be.
    /// - Returns: the positions written, or those of the earlier identical append.
    /// - Throws: ``EventLogError`` naming why nothing was appended.
    @discardableResult
    public func append(_ events: [ProposedEvent], to stream: StreamID, expecting expected: ExpectedVersion = .any) async throws -> AppendResult {
        let results = try await append([StreamAppend(stream: stream, expected: expected, events: events)])
        return try results[0].get()
    }

    /// Reads a whole stream forward.
    public func readStream(_ stream: StreamID) async throws -> [RecordedEvent] {
        var all: [RecordedEvent] = []
        var next: StreamVersion = 0
        while true {
            let page = try await readStream(stream, from: next, direction: .forward, maxCount: 1024)
            all += page
            guard page.count == 1024, let last = page.last else { return all }
            next = last.streamVersion + 1
        }
    }

    /// The records from `position` up to the head as of the first step, in batches, with the next batch
    /// read while the caller works on the current one.
    public func readAll(from position: LogPosition = 1, filter: LogFilter = .all, batchSize: Int = 8192) -> LogReader<Self> {
        LogReader(store: self, from: position, filter: filter, batchSize: batchSize, follow: false)
    }

    /// A catch-up subscription: the records from `position`, then live ones as they commit, in batches.
    ///
    /// It is pulled: a slow subscriber reads later, and neither slows writers nor buffers more than one batch.
    public func subscribe(from position: LogPosition = 1, filter: LogFilter = .all, batchSize: Int = 8192) -> LogReader<Self> {
        LogReader(store: self, from: position, filter: filter, batchSize: batchSize, follow: true)
    }
}
