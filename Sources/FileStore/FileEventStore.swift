import CoreMetrics
import EventLog
import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The embedded default store: an append-only log of segment files in one directory.
///
/// - Appends are durable on return: their bytes are written and `fdatasync`ed first. Appends that arrive while
///   a sync runs are committed together by the next one (group commit), so throughput is not one event per sync.
/// - On open, a torn tail (a record cut short by a crash) is cut back to the last whole record; damage anywhere
///   else is reported with its segment, offset and position, and never returned as data.
/// - One process writes (the `LOCK` file); others may open the directory read-only alongside.
///
/// The on-disk format is described in DESIGN.md, "The file format".
public final class FileEventStore: EventStore {
    /// Settings of a file store.
    public struct Options: Sendable {
        /// A segment is sealed and a new one started once it holds this many bytes (64 KiB to 2 GiB).
        public var segmentSize: Int
        /// Open for reading only: no lock is taken, nothing is written or cut, and new records written by the
        /// writing process are picked up as reads reach them.
        public var readOnly: Bool
        /// The most bytes one log read takes from a segment at once.
        public var readChunkSize: Int
        /// The source of recorded times.
        public var clock: @Sendable () -> Timestamp
        /// Where recovery (a torn tail cut, damage found, indexes rebuilt) is logged; the task-local
        /// `Logger.current` of the opening task when nil.
        public var logger: Logger?
        /// Where the store's metrics go (`EventLogMetrics`); the process's `MetricsSystem.factory` when nil.
        public var metricsFactory: (any MetricsFactory)?
        /// A writer's clean close saves its tables (`writer.snapshot`) when at least this many records were
        /// appended since the last snapshot; one is also saved whenever a segment is sealed. Records after the
        /// snapshot cost the next open one table update each, on top of the active segment's scan.
        public var snapshotInterval: Int
        /// The file and directory calls (the system's; a test puts a simulated disk here).
        var io: any StorageIO = POSIXStorage()

        /// Creates options.
        public init(segmentSize: Int = 256 << 20, readOnly: Bool = false, readChunkSize: Int = 4 << 20,
                    clock: @escaping @Sendable () -> Timestamp = { .now }, logger: Logger? = nil,
                    metricsFactory: (any MetricsFactory)? = nil, snapshotInterval: Int = 100_000) {
            self.segmentSize = segmentSize
            self.readOnly = readOnly
            self.readChunkSize = readChunkSize
            self.clock = clock
            self.logger = logger
            self.metricsFactory = metricsFactory
            self.snapshotInterval = max(snapshotInterval, 1)
        }
    }

    /// What opening the store found.
    public struct Recovery: Sendable, Hashable {
        /// Number of segment files.
        public var segments: Int
        /// Number of whole records.
        public var records: LogPosition
        /// Bytes of a torn last record that were cut off (0 when the log ended cleanly).
        public var tornBytesCut: Int
        /// Index files that were missing or damaged and were rebuilt from their segments.
        public var indexesRebuilt: Int
        /// Damage found, if any: the store then refuses appends, and reads stop there with this error.
        public var damage: EventLogError?
        /// Whether this open created the store (a writer opening a directory without segment files).
        public var created: Bool = false
        /// A writer: the last position covered by the snapshot of its tables that this open took and advanced
        /// (nil: the tables were rebuilt by scanning every segment).
        public var snapshotPosition: LogPosition?
        /// A writer: why the snapshot file found was not used (it did not match the log, or could not be read);
        /// the tables were then rebuilt by a scan.
        public var snapshotRefused: String?
    }

    /// Counters of the writer's work, for tests and benchmarks.
    public struct Statistics: Sendable, Hashable {
        /// Group commits, each one write and one sync.
        public var commits: Int = 0
        /// Append requests received.
        public var requests: Int = 0
        /// Records written.
        public var records: Int = 0
    }

    /// The writer's counters so far.
    public var statistics: Statistics { stats.withLock { $0 } }
    let stats = Mutex(Statistics())

    /// The store's directory.
    public let directory: String
    /// What opening the store found.
    public let recovery: Recovery
    let options: Options
    let lock: WriterLock?
    let catalog: Mutex<Catalog>
    let commits = Mutex(GroupCommitQueue<CommitJob>())
    let writer: Writer?
    let writerQueue = DispatchQueue(label: "CoverageRegistry.FileEventStore.writer", qos: .userInitiated)
    /// Writes the writer's snapshot files, one after the other, off the writer queue.
    let snapshotQueue = DispatchQueue(label: "CoverageRegistry.FileEventStore.snapshot", qos: .utility)
    let signal: AppendSignal
    let logger: Logger
    let instruments: StoreInstruments

    /// Opens (or creates) a store in `directory`, scanning the log on the calling thread.
    ///
    /// - Important: The scan reads the whole log (seconds on a large store): from an `async` context use
    ///   ``open(directory:options:)``, which scans off Swift's cooperative pool.
    /// - Parameters:
    ///   - directory: the folder holding the segment files; created if missing unless read-only.
    ///   - options: settings.
    /// - Throws: `EventLogError` with code `EventLogError/Code/storeLocked` when another process writes to
    ///   the store, `EventLogError/Code/unsupportedFormat` for files of another format version,
    ///   `EventLogError/Code/storeNotFound` when opening read-only a directory that holds no store (a writer
    ///   creates one: ``Recovery/created``), `EventLogError/Code/ioFailure`.
    public init(directory: String, options: Options = Options()) throws {
        guard (64 << 10)...(2 << 30) ~= options.segmentSize else {
            throw EventLogError(.invalidArgument, "segment size must be between 64 KiB and 2 GiB")
        }
        self.directory = directory
        self.options = options
        logger = options.logger ?? Logger.current
        instruments = StoreInstruments(store: "file", factory: options.metricsFactory)
        if options.readOnly {
            guard options.io.exists(directory) else {
                throw EventLogError(.storeNotFound, "no store here: the directory does not exist", location: directory)
            }
            lock = nil
        } else {
            try options.io.createDirectory(directory)
            lock = try WriterLock(directory: directory)
        }
        let opened = try Recoverer(directory: directory, options: options).open()
        recovery = opened.recovery
        catalog = Mutex(opened.catalog)
        writer = opened.writer
        signal = AppendSignal(head: opened.catalog.head)
        logRecovery()
        if opened.scannedSealed, let writer {
            // The tables came (partly) from scanning sealed segments: keep them, so the next open need not.
            saveSnapshot(writer)
        }
    }

    /// Opens a store read-only.
    public static func openReadOnly(directory: String) throws -> FileEventStore {
        try FileEventStore(directory: directory, options: Options(readOnly: true))
    }

    // MARK: - Appending

    public func append(_ requests: [StreamAppend]) async throws -> [Result<AppendResult, EventLogError>] {
        guard !options.readOnly else {
            throw EventLogError(.readOnly, "this store was opened read-only", location: directory)
        }
        guard writer != nil else {
            let damage = catalog.withLock { $0.damage }
            throw EventLogError(.corruptRecord, "appends are refused: the log is damaged (\(damage?.message ?? "no segment can be written"))",
                                position: damage?.position, location: damage?.location ?? directory)
        }
        if requests.isEmpty { return [] }
        return try await instruments.timeAppend(requests) {
            try await withCheckedThrowingContinuation { continuation in
                let action = commits.withLock { $0.enqueue(CommitJob(requests: requests, continuation: continuation)) }
                if action == .startDrain {
                    writerQueue.async { self.drain() }
                }
            }
        }
    }

    private func drain() {
        while true {
            let jobs = commits.withLock { $0.takeAll() }
            if jobs.isEmpty { return }
            commit(jobs)
        }
    }

    // MARK: - Reading

    public func headPosition() async throws -> LogPosition {
        if options.readOnly { try refresh() }
        return try catalog.withLock { c in
            if c.closed { throw EventLogError(.storeClosed, "the store was closed") }
            return c.head
        }
    }

    public func knownDamage() async -> EventLogError? {
        catalog.withLock { $0.damage }
    }

    /// Reads check every record's chain hash (see DESIGN.md, "The hash chain").
    public var checksChainOnRead: Bool { true }

    /// Compares every sealed segment's index file with its segment: an index that does not match (forged, or
    /// written by a bug) is reported, though reads never trust it blindly.
    public func auditStorage() async -> EventLogError? {
        do {
            return try catalog.withLock { c in try c.auditIndexes(directory: directory) }
        } catch let error as EventLogError {
            return error
        } catch {
            return EventLogError(.ioFailure, "\(error)", location: directory)
        }
    }

    public func streamVersion(of stream: StreamID) async throws -> StreamVersion? {
        if let writer {
            // The writer's table is exact and includes every commit.
            return try await withCheckedThrowingContinuation { c in
                writerQueue.async { c.resume(returning: writer.versions[stream]) }
            }
        }
        return try streamRecords(stream).last?.streamVersion
    }

    /// With a writer, every answer from its version table in one visit to the writer queue (between two group
    /// commits, so one moment of the log), touching no segment index; otherwise (read-only, or appends refused),
    /// each stream read through the segment indexes.
    public func streamVersions(_ streams: [StreamID]) async throws -> [StreamVersion?] {
        if streams.isEmpty { return [] }
        if let writer {
            return try await withCheckedThrowingContinuation { c in
                writerQueue.async { c.resume(returning: streams.map { writer.versions[$0] }) }
            }
        }
        if options.readOnly { try refresh() }
        return try streams.map { try streamRecords($0).last?.streamVersion }
    }

    /// With a writer, in one visit to the writer queue (between two group commits): an id the writer's filter has
    /// never seen is not held, and a possible one is looked up and its records read back (`storedEvents(withID:staging:writer:)`);
    /// otherwise each stream is read.
    public func holdsEvents(_ ids: [UUID], on streams: [StreamID]) async throws -> [Bool] {
        precondition(ids.count == streams.count, "one stream per id")
        if ids.isEmpty { return [] }
        if let writer {
            return try await withCheckedThrowingContinuation { c in
                writerQueue.async {
                    c.resume(with: Result { () throws -> [Bool] in
                        let staging = Staging(position: writer.head + 1, hash: writer.headHash)
                        return try zip(ids, streams).map { id, stream in
                            guard writer.ids.mayContain(id) else { return false }
                            return try self.storedEvents(withID: id, staging: staging, writer: writer).contains { $0.stream == stream }
                        }
                    })
                }
            }
        }
        if options.readOnly { try refresh() }
        var held: [StreamID: Set<UUID>] = [:]
        return try zip(ids, streams).map { id, stream in
            if held[stream] == nil { held[stream] = Set(try streamRecords(stream).map(\.id)) }
            return held[stream]!.contains(id)
        }
    }

    public func readStream(_ stream: StreamID, from version: StreamVersion, direction: ReadDirection, maxCount: Int) async throws -> [RecordedEvent] {
        if options.readOnly { try refresh() }
        let all = try streamRecords(stream)
        guard maxCount > 0, !all.isEmpty else { return [] }
        switch direction {
        case .forward:
            guard version < all.count else { return [] }
            return Array(all[Int(version)...].prefix(maxCount))
        case .backward:
            let top = Int(min(version, StreamVersion(all.count - 1)))
            return Array(all[...top].reversed().prefix(maxCount))
        }
    }

    public func read(from position: LogPosition, filter: LogFilter, maxCount: Int) async throws -> EventBatch {
        let start = max(position, 1)
        if options.readOnly { try refresh() }
        guard let plan = try catalog.withLock({ c in try c.plan(reading: start, directory: directory) }) else {
            return try catalog.withLock { c in
                if let damage = c.damage, start == c.head + 1 { throw damage }
                return .empty(continuingAt: start)
            }
        }
        do {
            let batch = try readBatch(plan, filter: filter, maxCount: max(maxCount, 1))
            instruments.countRead(batch)
            return batch
        } catch let mismatch as Catalog.IndexMismatch {
            // The index file's entry pointed elsewhere: it is a hint, so rebuild it from the segment and read again.
            let replanned = try catalog.withLock { c -> Catalog.ReadPlan? in
                let rebuilt = try c.rebuildIndex(mismatch.segment)
                let r = Int(start - c.segments[mismatch.segment].firstPosition)
                // The same offset (or a scan that stops before it): the index was right and the damage is real.
                guard r < rebuilt.count, Int(rebuilt.offsets[r]) != mismatch.offset else {
                    if c.damage == nil { c.damage = mismatch.failure }
                    throw mismatch.failure
                }
                return try c.plan(reading: start, directory: directory)
            }
            guard let replanned else { return .empty(continuingAt: start) }
            let batch = try readBatch(replanned, filter: filter, maxCount: max(maxCount, 1))
            instruments.countRead(batch)
            return batch
        }
    }

    public func waitForAppend(after position: LogPosition) async throws {
        if options.readOnly {
            // Another process writes: look for new records now and then.
            while try await headPosition() <= position {
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            return
        }
        try await signal.wait(after: position)
    }

    public func close() async throws {
        let wasOpen = catalog.withLock { c in
            defer { c.closed = true }
            return !c.closed
        }
        guard wasOpen else { return }
        // Let a running group commit finish; later appends find the store closed.
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in writerQueue.async { c.resume() } }
        await snapshotOnClose()
        signal.close()
        lock?.release()
    }

    deinit { lock?.release() }
}

/// One caller's append waiting for the next group commit.
struct CommitJob {
    let requests: [StreamAppend]
    let continuation: CheckedContinuation<[Result<AppendResult, EventLogError>], any Error>
}
