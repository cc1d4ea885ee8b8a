import CLibPQ
import EventLog
import Foundation
import Logging
import Synchronization

/// Follows the log's head for ``PostgresEventStore/waitForAppend(after:)``: a thread of its own holds a
/// connection that `LISTEN`s on the store's channel, publishing each notified position to an `AppendSignal`.
///
/// Polling is the fallback only: the head row is read on (re)connecting and then every `pollInterval` while
/// no notification arrives, which covers a lost connection (notifications sent while it was down are gone).
///
/// The thread starts on the first ``start()`` (the store's first wait for an append, or its `run()`), never when
/// the store opens, and stops on ``stop()``.
final class PGListener: Sendable {
    private let options: PGConnectionOptions
    private let logger: Logger
    private let schema: PostgresSchema
    private let signal: AppendSignal
    private let pollInterval: Duration
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(options: PGConnectionOptions, schema: PostgresSchema, signal: AppendSignal, pollInterval: Duration, logger: Logger) {
        self.options = options
        self.logger = logger
        self.schema = schema
        self.signal = signal
        self.pollInterval = pollInterval
    }

    /// Starts the thread; returns once it listens and has published the head, or throws why it could not.
    func start() async throws {
        try await withCheckedThrowingContinuation { (ready: CheckedContinuation<Void, any Error>) in
            let thread = Thread { self.run(ready: ready) }
            thread.name = "PostgresStore.listener.\(schema.name)"
            thread.start()
        }
    }

    /// Stops the thread and waits for it to close its connection.
    func stop() async {
        stopping.store(true, ordering: .releasing)
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.finished.wait()
                c.resume()
            }
        }
    }

    private func connect() throws -> PGConnection {
        let c = try options.connect()
        try c.execute("LISTEN \"\(schema.channel)\"", context: "listen")
        try publishHead(c)
        return c
    }

    private func publishHead(_ c: PGConnection) throws {
        let r = try c.query("SELECT last_position FROM \(schema.head)", context: "listen: head")
        if r.rowCount == 1 { signal.publish(head: LogPosition(bitPattern: r.int64(0, 0))) }
    }

    private func run(ready: CheckedContinuation<Void, any Error>) {
        defer { finished.signal() }
        var connection: PGConnection?
        do {
            connection = try connect()
            ready.resume()
        } catch {
            ready.resume(throwing: (error as? PostgresError)?.asEventLogError ?? error)
            return
        }
        let pollMillis = Int(pollInterval.components.seconds * 1000 + pollInterval.components.attoseconds / 1_000_000_000_000_000)
        let slice = 100  // ms between checks of `stopping`
        var quiet = 0
        var lost = 0  // failed connection attempts in a row
        while !stopping.load(ordering: .acquiring) {
            guard let c = connection, c.isHealthy else {
                if connection != nil || lost == 0 {
                    logger.warning("postgres store: the listener lost its connection; reconnecting", metadata: ["schema": "\(schema.name)"])
                }
                connection = nil
                lost += 1
                Thread.sleep(forTimeInterval: 0.2)
                do {
                    connection = try connect()
                    logger.notice("postgres store: the listener reconnected", metadata: [
                        "schema": "\(schema.name)", "attempts": "\(lost)",
                    ])
                    lost = 0
                } catch {
                    if lost % 50 == 1 {
                        logger.warning("postgres store: the listener cannot reconnect yet", metadata: [
                            "schema": "\(schema.name)", "attempts": "\(lost)", "error": "\(error)",
                        ])
                    }
                }
                continue
            }
            var fd = pollfd(fd: PQsocket(c.handle), events: Int16(POLLIN), revents: 0)
            let n = poll(&fd, 1, Int32(slice))
            if n > 0, PQconsumeInput(c.handle) == 0 { connection = nil; continue }
            // Drain every notification libpq holds, including any read during a head query.
            var newest: LogPosition = 0
            while let note = PQnotifies(c.handle) {
                if let extra = note.pointee.extra, let p = LogPosition(String(cString: extra)) { newest = max(newest, p) }
                PQfreemem(note)
            }
            if newest > 0 { signal.publish(head: newest); quiet = 0 }
            if n == 0 {
                quiet += slice
                if quiet >= pollMillis {
                    quiet = 0
                    if (try? publishHead(c)) == nil { connection = nil }
                }
            }
        }
        connection = nil
    }
}
