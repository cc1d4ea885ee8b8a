import CoreMetrics
import EventLog
import Foundation
import Synchronization

/// Runs appends on the writer connection, committing the requests of every call waiting at that moment in one
/// transaction (group commit): while one transaction is in flight, later calls queue and go together in the next.
///
/// Each request is still judged and applied on its own; a call's results are exactly those its requests would get
/// alone. A failure of the transaction itself (connection lost, server error) fails every call of that group.
final class PostgresAppender: Sendable {
    typealias Results = [Result<AppendResult, EventLogError>]

    private typealias Queue = AppendQueue<
        (requests: [StreamAppend], continuation: CheckedContinuation<Results, any Error>),
        CheckedContinuation<Void, Never>,
        CheckedContinuation<Bool, any Error>
    >

    private let state = Mutex(Queue())
    private let worker: PGWorker
    private let schema: PostgresSchema
    private let signal: AppendSignal
    /// The most events one transaction takes from the queue (a single larger call still goes whole).
    private let groupLimit: Int
    /// Records each transaction's number of calls (the group-commit size).
    private let groupSize: Recorder?

    init(worker: PGWorker, schema: PostgresSchema, signal: AppendSignal, groupLimit: Int = 200_000, groupSize: Recorder? = nil) {
        self.worker = worker
        self.schema = schema
        self.signal = signal
        self.groupLimit = groupLimit
        self.groupSize = groupSize
    }

    /// Queues a call and returns its results once its transaction has committed.
    func append(_ requests: [StreamAppend]) async throws -> Results {
        if requests.isEmpty { return [] }
        let events = requests.reduce(0) { $0 + $1.events.count }
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<Results, any Error>) in
            switch state.withLock({ $0.submit((requests, c), events: events) }) {
            case .startDrain: worker.queue.async { self.drain() }
            case .queued: break
            case .refuse: c.resume(throwing: EventLogError(.storeClosed, "the store was closed"))
            }
        }
    }

    /// Runs `body` while no append transaction runs: calls arriving meanwhile wait, and go once it returns.
    /// - Throws: `EventLogError/Code/storeClosed`, or what `body` throws.
    func exclusive<T>(_ body: () async throws -> T) async throws -> T {
        while true {
            let acquired: Bool = try await withCheckedThrowingContinuation { (c: CheckedContinuation<Bool, any Error>) in
                switch state.withLock({ $0.acquireExclusive(c) }) {
                case .run: c.resume(returning: true)
                case .wait: break  // resumed with false when the writer is free
                case .refuse: c.resume(throwing: EventLogError(.storeClosed, "the store was closed"))
                }
            }
            if acquired { break }
        }
        defer {
            switch state.withLock({ $0.releaseExclusive() }) {
            case .startDrain: worker.queue.async { self.drain() }
            case .idle(let closers, let waiters): Self.resume(closers, waiters)
            }
        }
        return try await body()
    }

    /// Refuses new calls and returns when the queued ones are done.
    func close() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            if state.withLock({ $0.close(c) }) { c.resume() }
        }
    }

    private static func resume(_ closers: [CheckedContinuation<Void, Never>], _ waiters: [CheckedContinuation<Bool, any Error>]) {
        for c in closers { c.resume() }
        for w in waiters { w.resume(returning: false) }
    }

    /// Takes groups off the queue until it is empty. Runs on the writer's queue.
    private func drain() {
        while true {
            let group: [Queue.Entry]
            switch state.withLock({ $0.nextGroup(limit: groupLimit) }) {
            case .idle(let closers, let waiters):
                Self.resume(closers, waiters)
                return
            case .commit(let entries):
                group = entries
            }
            let all = group.count == 1 ? group[0].call.requests : group.flatMap(\.call.requests)
            groupSize?.record(group.count)
            let outcome = worker.runHere { connection in try self.commit(all, on: connection) }
            switch outcome {
            case .success(let (results, head)):
                if let head { signal.publish(head: head) }
                var offset = 0
                for entry in group {
                    let n = entry.call.requests.count
                    entry.call.continuation.resume(returning: Array(results[offset..<offset + n]))
                    offset += n
                }
            case .failure(let error):
                let failure = (error as? PostgresError)?.asEventLogError ?? error
                for entry in group { entry.call.continuation.resume(throwing: failure) }
            }
        }
    }

    /// Groups with at least this many event ids skip looking them up first (see ``commit(_:on:)``).
    static let optimisticIDThreshold = 256

    /// One appending transaction. Returns the results and the new head (nil when nothing was written).
    ///
    /// A large group is first tried without looking up its event ids (a probe of the `event_id` index per event,
    /// about a fifth of the server's work in a bulk load): if none of them is stored, the plan is the same, and the
    /// unique index proves it. If one is, the COPY fails on that index, and the transaction is redone with the
    /// look-up, which judges idempotent re-appends and reused ids as usual. A request refused for its expected
    /// version might be an idempotent re-append, so such a refusal also sends the group down the look-up path.
    private func commit(_ requests: [StreamAppend], on connection: PGConnection) throws -> (Results, LogPosition?) {
        let needs = AppendPlanner.needs(of: requests)
        if needs.eventIDs.count >= Self.optimisticIDThreshold {
            do {
                return try transaction(requests, needs: needs, lookUpIDs: false, on: connection)
            } catch let error as PostgresError where error.sqlState == "23505" && error.constraint == "events_event_id_key" {
                connection.rollbackIfNeeded()
            } catch is NeedsIDLookUp {
                connection.rollbackIfNeeded()
            }
        }
        return try transaction(requests, needs: needs, lookUpIDs: true, on: connection)
    }

    private func transaction(
        _ requests: [StreamAppend], needs: AppendPlanner.Needs, lookUpIDs: Bool, on connection: PGConnection
    ) throws -> (Results, LogPosition?) {
        // One round trip: open the transaction, lock the head (every appender waits here, so positions are
        // assigned and committed one transaction after another), then read the streams' versions and the rows
        // already holding the requests' event ids, both as of after the lock.
        var p = PGParameters()
        p.append(textArray: needs.streams.lazy.map(\.rawValue))
        var statements = [
            PGStatement("BEGIN"),
            PGStatement("SELECT last_position, last_hash FROM \(schema.head) FOR UPDATE", prepared: "append_lock"),
            PGStatement(
                """
                SELECT s.stream_id, (SELECT max(e.stream_version) FROM \(schema.events) e WHERE e.stream_id = s.stream_id)
                FROM unnest($1::text[]) AS s(stream_id)
                """, p, prepared: "append_versions"),
        ]
        if lookUpIDs {
            var ids = PGParameters()
            ids.append(uuidArray: needs.eventIDs)
            statements.append(PGStatement(
                "SELECT record FROM \(schema.events) WHERE event_id = ANY($1::uuid[])", ids,
                prepared: "append_existing"))
        }
        let looked = try connection.pipeline(statements, context: "append: lock head, look up")
        let h = looked[1], v = looked[2]
        guard h.rowCount == 1, h.bytes(0, 1).count == 32 else {
            throw EventLogError(.corruptRecord, "the head row of schema \(schema.name) is missing or malformed")
        }
        let head = LogPosition(bitPattern: h.int64(0, 0))
        let headHash = RecordHash(bytes: h.bytes(0, 1).baseAddress!)

        var versions: [StreamID: StreamVersion] = [:]
        versions.reserveCapacity(needs.streams.count)
        var byName: [String: StreamID] = [:]
        for s in needs.streams { byName[s.rawValue] = s }
        for row in 0..<v.rowCount where !v.isNull(row, 1) {
            if let stream = byName[v.string(row, 0)] {
                versions[stream] = StreamVersion(bitPattern: v.int64(row, 1))
            }
        }
        var existing: [UUID: RecordedEvent] = [:]
        if lookUpIDs, looked[3].rowCount > 0 {
            for e in try EventRow.recordedEvents(looked[3]) { existing[e.id] = e }
        }

        // Rows stream to the server while later ones are still being hashed.
        let copySQL = "COPY \(schema.events) (\(EventRow.copyColumns)) FROM STDIN (FORMAT binary)"
        try connection.beginCopyIn(copySQL, context: "append: copy rows")
        let plan: AppendPlanner.Plan
        do {
            plan = try AppendPlanner.plan(
                requests, head: (head, headHash), versions: versions, existing: existing,
                idsRepeatAcrossRequests: needs.idsRepeatAcrossRequests, recordedTime: .now, flushSize: 1 << 20,
                sink: { bytes in try connection.putCopyData(bytes, context: "append: copy rows") })
            try connection.putCopyData(plan.copyData, context: "append: copy rows")
            if !lookUpIDs {
                for case .failure(let e) in plan.results where e.code == .wrongExpectedVersion { throw NeedsIDLookUp() }
            }
        } catch {
            connection.abortCopyIn()
            throw error
        }
        try connection.endCopyIn(context: "append: copy rows")
        guard plan.rowCount > 0 else {
            try connection.execute("ROLLBACK", context: "append: nothing to write")
            return (plan.results, nil)
        }
        // Move the head, announce it (delivered at commit), and commit: one round trip.
        try schema.moveHeadAndCommit(on: connection, to: (plan.head.position, plan.head.hash), context: "append: move head, commit")
        return (plan.results, plan.head.position)
    }
}

/// Thrown inside an optimistic append transaction whose outcome could depend on event ids already stored.
private struct NeedsIDLookUp: Error {}
