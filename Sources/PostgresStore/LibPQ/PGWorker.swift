import Dispatch
import Foundation

/// A connection with a serial dispatch queue of its own: every libpq call on the connection runs on that queue,
/// never on Swift's cooperative thread pool, and async callers are resumed through continuations.
///
/// The connection is opened lazily and reopened after it breaks.
final class PGWorker: @unchecked Sendable {
    // @unchecked Sendable: `connection` is read and written only by blocks running on `queue`, a serial queue,
    // so it is never touched by two threads at once (checked by `dispatchPrecondition` in `connection()`).
    private var _connection: PGConnection?
    let queue: DispatchQueue
    let options: PGConnectionOptions
    let name: String
    /// Session settings run on every new connection.
    let setup: String

    /// Creates a worker; nothing connects until the first job.
    /// - Parameter setup: SQL run on each new connection (fixed text: `SET …`).
    init(options: PGConnectionOptions, name: String, setup: String = PGWorker.writerSetup) {
        self.options = options
        self.name = name
        self.setup = setup
        self.queue = DispatchQueue(label: "PostgresStore.\(name)")
    }

    /// No statement of the store wants a sort: read in index order. Right after a bulk load, before autovacuum has
    /// analysed the table, the planner picks a bitmap scan plus a sort for a batch read (measured 13 ms against
    /// 8 ms for the index scan per 8,192 rows).
    static let writerSetup = "SET enable_sort = off"

    /// Readers also plan every execution with its real parameters: a generic plan of `position >= $1 … LIMIT $2`
    /// can pick a scan of the whole table, which a ten-million-row log cannot afford, and planning costs far less
    /// than a batch. (The writer keeps generic plans: its statements are small and run once per transaction.)
    static let readerSetup = "SET enable_sort = off; SET plan_cache_mode = force_custom_plan"

    /// The open connection, connecting if needed. Call only on ``queue``.
    func connection() throws(PostgresError) -> PGConnection {
        dispatchPrecondition(condition: .onQueue(queue))
        if let c = _connection, c.isHealthy { return c }
        _connection = nil
        let c = try options.connect()
        try c.execute(setup, context: "connect")
        _connection = c
        return c
    }

    /// Drops the connection, so the next job reconnects. Call only on ``queue``.
    func discardConnection() {
        dispatchPrecondition(condition: .onQueue(queue))
        _connection = nil
    }

    /// Runs `body` on the worker's queue with its connection and returns its result.
    ///
    /// A transaction left open by a failing `body` is rolled back.
    func run<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            queue.async {
                continuation.resume(with: self.runHere(body))
            }
        }
    }

    /// Runs `body` now, on the worker's queue (the caller must be on it).
    func runHere<T>(_ body: (PGConnection) throws -> T) -> Result<T, any Error> {
        do {
            let c = try connection()
            do {
                return .success(try body(c))
            } catch {
                c.rollbackIfNeeded()
                if !c.isHealthy { discardConnection() }
                return .failure(error)
            }
        } catch {
            return .failure(error)
        }
    }

    /// Closes the connection once queued jobs are done.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self._connection = nil
                continuation.resume()
            }
        }
    }
}
