import CoreMetrics
import EventLog
import Foundation
import Logging
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
/// - Reads run on a small pool of reader connections, in binary, and build `EventBatch`es straight from the rows.
/// - ``waitForAppend(after:)`` is woken by `LISTEN`/`NOTIFY` on a connection of its own, started by the first wait
///   (a subscription) or by ``run()``, never by opening.
/// - Every libpq call runs on a connection's own thread (a serial dispatch queue), never on Swift's cooperative pool.
///
/// Opened ``Configuration/Access/readWrite`` (the default), the schema is created or migrated on open (see
/// DESIGN.md, "The PostgreSQL store"); opened ``Configuration/Access/readOnly``, nothing is created or changed, so a
/// role with `SELECT` alone can read and follow the log.
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
        /// Whether the store may write, and so create or migrate its schema on open.
        public var access: Access
        /// The `application_name` every connection shows in `pg_stat_activity` (unless the connection string or
        /// `PGAPPNAME` names one): name the program, such as `registry-import`, so that one importer can be told
        /// from another. When nil, each connection names its schema and role: `registry-event_log.writer`,
        /// `….reader-0`, `….listener`.
        public var applicationName: String?
        /// How long a connection attempt may take (libpq's `connect_timeout`, at least 2 s) unless the connection
        /// string or `PGCONNECT_TIMEOUT` sets one.
        public var connectTimeout: Duration
        /// Where listener reconnects and bulk-import progress are logged; the task-local `Logger.current` of the
        /// opening task when nil.
        public var logger: Logger?
        /// Where the store's metrics go (`EventLogMetrics`); the process's `MetricsSystem.factory` when nil.
        public var metricsFactory: (any MetricsFactory)?

        /// Whether a store may write.
        public enum Access: Sendable, Hashable {
            /// Appends allowed; the schema is created or migrated on open (needs `CREATE` on the database).
            case readWrite
            /// Reads only: no statement that writes the log or changes the schema is ever sent; appends throw
            /// `EventLogError/Code/readOnly`. Opening fails when the schema is missing, older than version 2 or newer
            /// than this code. The one write such a store makes is the one it is asked for:
            /// ``PostgresEventStore/saveSnapshot(projection:basis:position:bytes:)``, of derived bytes, in a
            /// transaction of its own, and only when the role may write them.
            case readOnly
        }

        /// Creates a configuration.
        /// - Parameters:
        ///   - connectionString: a libpq connection string or URI; empty for the `PG*` environment variables.
        ///   - schema: the PostgreSQL schema of the log, `event_log` by default.
        ///   - readerConnections: connections for reads, 2 by default.
        ///   - pollInterval: the fallback head poll, 1 s by default.
        ///   - access: ``Access/readWrite`` by default.
        ///   - applicationName: nil (the schema and role of each connection) by default.
        ///   - connectTimeout: 10 s by default.
        ///   - logger: the task-local logger by default.
        ///   - metricsFactory: the process's metrics factory by default.
        public init(
            connectionString: String = "", schema: String = "event_log", readerConnections: Int = 2,
            pollInterval: Duration = .seconds(1), access: Access = .readWrite,
            applicationName: String? = nil, connectTimeout: Duration = .seconds(10),
            logger: Logger? = nil, metricsFactory: (any MetricsFactory)? = nil
        ) {
            self.connectionString = connectionString
            self.schema = schema
            self.readerConnections = readerConnections
            self.pollInterval = pollInterval
            self.access = access
            self.applicationName = applicationName
            self.connectTimeout = connectTimeout
            self.logger = logger
            self.metricsFactory = metricsFactory
        }
    }

    let schema: PostgresSchema
    let readers: PGWorkerPool
    let writer: PGWorker
    let appender: PostgresAppender
    let listener: PGListener
    let signal: AppendSignal
    let access: Configuration.Access
    let logger: Logger
    let instruments: StoreInstruments
    let listening = ListenerStart()
    private let closed = Atomic<Bool>(false)

    /// Opens the store: connects, and creates or migrates the schema when opened for writing (checks its version
    /// when read-only). Listening for appends starts with the first wait for one, or with ``run()``.
    /// - Parameter configuration: where the database is and how to use it.
    /// - Throws: `EventLogError`: `EventLogError/Code/invalidArgument` for a bad schema name,
    ///   `EventLogError/Code/unsupportedFormat` for a schema newer than this code, `EventLogError/Code/unavailable`
    ///   when the server cannot be reached, `EventLogError/Code/permissionDenied` when the role may not do what
    ///   opening needs, `EventLogError/Code/storeNotFound` for a read-only open of a schema that does not exist,
    ///   `EventLogError/Code/ioFailure` (with the SQLSTATE) when the server refuses otherwise.
    public init(_ configuration: Configuration) async throws {
        schema = try PostgresSchema(name: configuration.schema)
        signal = AppendSignal()
        access = configuration.access
        logger = configuration.logger ?? Logger.current
        instruments = StoreInstruments(store: "postgres", factory: configuration.metricsFactory)
        let seconds = configuration.connectTimeout.components.seconds
        let options = PGConnectionOptions(
            configuration.connectionString, applicationName: configuration.applicationName,
            connectTimeoutSeconds: Int(clamping: seconds))
        writer = PGWorker(options: options.naming("\(configuration.schema).writer"), name: "\(configuration.schema).writer")
        readers = PGWorkerPool(
            options: options, size: configuration.readerConnections,
            name: "\(configuration.schema).reader", setup: PGWorker.readerSetup)
        appender = PostgresAppender(worker: writer, schema: schema, signal: signal, groupSize: instruments.commitGroupSize)
        listener = PGListener(
            options: options.naming("\(configuration.schema).listener"), schema: schema, signal: signal,
            pollInterval: configuration.pollInterval, logger: logger)
        let schema = self.schema
        switch configuration.access {
        case .readWrite:
            try await Self.mapErrors { try await self.writer.run { connection in try schema.migrate(on: connection) } }
        case .readOnly:
            _ = try await Self.mapErrors { try await self.readers.run { connection in try schema.checkVersion(on: connection) } }
        }
    }

    /// Runs `body`, turning ``PostgresError``s into `EventLogError`s.
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
    /// (group commit); see `EventStore/append(_:)`.
    /// - Throws: `EventLogError/Code/storeClosed`; `EventLogError/Code/ioFailure` with the SQLSTATE when the
    ///   transaction fails, in which case no request of the call was written.
    public func append(_ requests: [StreamAppend]) async throws -> [Result<AppendResult, EventLogError>] {
        try checkOpen()
        guard access == .readWrite else {
            throw EventLogError(.readOnly, "this PostgreSQL store was opened read-only")
        }
        return try await instruments.timeAppend(requests) { try await appender.append(requests) }
    }

    /// Returns once the head passes `position`, woken by `LISTEN`/`NOTIFY` (appends from any process) or by this
    /// store's own commits; see `EventStore/waitForAppend(after:)`.
    public func waitForAppend(after position: LogPosition) async throws {
        try checkOpen()
        try await startListening()
        try await signal.wait(after: position)
    }

    /// Finishes queued appends, stops listening, fails waiters with `EventLogError/Code/storeClosed` and closes
    /// every connection. Closing twice does nothing.
    public func close() async throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await appender.close()
        if await listening.stop() { await listener.stop() }
        signal.close()
        await writer.close()
        await readers.close()
    }
}
