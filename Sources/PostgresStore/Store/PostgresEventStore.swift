import EventLog
import Foundation
import Synchronization

/// The event log in PostgreSQL, through libpq: the same contract as the file store, for deployments that already
/// run a database or need several processes appending to one log.
///
/// ```swift
/// let store = try await PostgresEventStore(.init(connectionString: "host=/run/postgresql dbname=registry"))
/// try await store.append([event], to: try StreamID("person-120101198503170024"), expecting: .noStream)
/// for try await batch in store.readAll() { … }
/// ```
///
/// - Appends run on one writer connection; calls arriving while a transaction is in flight are committed together
///   in the next (group commit). Every appending transaction locks the one-row `head` table, which makes positions
///   gapless in commit order, across processes too.
/// - Reads run on a small pool of reader connections, in binary, and build ``EventBatch``es straight from the rows.
/// - ``waitForAppend(after:)`` is woken by `LISTEN`/`NOTIFY` on a connection of its own.
/// - Every libpq call runs on a connection's own thread (a serial dispatch queue), never on Swift's cooperative pool.
///
/// The schema is created or migrated on open (see DESIGN.md, "The PostgreSQL store").
///
/// ## Topics
/// ### Opening
/// - ``init(_:)``
/// - ``Configuration``
public final class PostgresEventStore: EventStore {
    /// Where and how to open the store.
    public struct Configuration: Sendable {
        /// A libpq connection string or URI; empty to use the `PG*` environment variables alone.
        public var connectionString: String
        /// The PostgreSQL schema holding the log's tables: 1 to 48 of `a-z`, `0-9`, `_`.
        public var schema: String
        /// Connections for reads (at least one).
        public var readerConnections: Int
        /// How often the listener reads the head when no notification arrives: the fallback to LISTEN/NOTIFY.
        public var pollInterval: Duration

        /// Creates a configuration.
        /// - Parameters:
        ///   - connectionString: a libpq connection string or URI; empty for the `PG*` environment variables.
        ///   - schema: the PostgreSQL schema of the log, `event_log` by default.
        ///   - readerConnections: connections for reads, 2 by default.
        ///   - pollInterval: the fallback head poll, 1 s by default.
        public init(
            connectionString: String = "", schema: String = "event_log", readerConnections: Int = 2,
            pollInterval: Duration = .seconds(1)
        ) {
            self.connectionString = connectionString
            self.schema = schema
            self.readerConnections = readerConnections
            self.pollInterval = pollInterval
        }
    }

    let schema: PostgresSchema
    let readers: PGWorkerPool
    let writer: PGWorker
    let appender: PostgresAppender
    let listener: PGListener
    let signal: AppendSignal
    private let closed = Atomic<Bool>(false)

    /// Opens the store: connects, creates or migrates the schema, and starts listening for appends.
    /// - Parameter configuration: where the database is and how to use it.
    /// - Throws: ``EventLogError``: ``EventLogError/Code/invalidArgument`` for a bad schema name,
    ///   ``EventLogError/Code/unsupportedFormat`` for a schema newer than this code, ``EventLogError/Code/ioFailure``
    ///   (with the SQLSTATE) when the server cannot be reached or refuses.
    public init(_ configuration: Configuration) async throws {
        schema = try PostgresSchema(name: configuration.schema)
        signal = AppendSignal()
        writer = PGWorker(connectionString: configuration.connectionString, name: "\(configuration.schema).writer")
        readers = PGWorkerPool(
            connectionString: configuration.connectionString, size: configuration.readerConnections,
            name: "\(configuration.schema).reader", setup: PGWorker.readerSetup)
        appender = PostgresAppender(worker: writer, schema: schema, signal: signal)
        listener = PGListener(
            connectionString: configuration.connectionString, schema: schema, signal: signal,
            pollInterval: configuration.pollInterval)
        let schema = self.schema
        try await Self.mapErrors { try await self.writer.run { connection in try schema.migrate(on: connection) } }
        try await listener.start()
    }

    /// Runs `body`, turning ``PostgresError``s into ``EventLogError``s.
    static func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError {
            throw error.asEventLogError
        }
    }

    func checkOpen() throws(EventLogError) {
        if closed.load(ordering: .acquiring) { throw EventLogError(.storeClosed, "the store was closed") }
    }

    /// Appends to many streams in one transaction, committed together with the calls waiting at the same time
    /// (group commit); see ``EventStore/append(_:)``.
    /// - Throws: ``EventLogError/Code/storeClosed``; ``EventLogError/Code/ioFailure`` with the SQLSTATE when the
    ///   transaction fails, in which case no request of the call was written.
    public func append(_ requests: [StreamAppend]) async throws -> [Result<AppendResult, EventLogError>] {
        try checkOpen()
        return try await appender.append(requests)
    }

    /// Returns once the head passes `position`, woken by `LISTEN`/`NOTIFY` (appends from any process) or by this
    /// store's own commits; see ``EventStore/waitForAppend(after:)``.
    public func waitForAppend(after position: LogPosition) async throws {
        try checkOpen()
        try await signal.wait(after: position)
    }

    /// Finishes queued appends, stops listening, fails waiters with ``EventLogError/Code/storeClosed`` and closes
    /// every connection. Closing twice does nothing.
    public func close() async throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await appender.close()
        await listener.stop()
        signal.close()
        await writer.close()
        await readers.close()
    }
}
