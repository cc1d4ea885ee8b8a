import EventLog
import Foundation

extension PostgresEventStore {
    /// What ``importLog(_:)`` loaded.
    public struct ImportSummary: Sendable, Hashable {
        /// Events written.
        public var events: Int
        /// Requests (stream appends) written.
        public var requests: Int
        /// The head after the import.
        public var head: LogPosition
    }

    /// Loads a whole log into an empty store in one transaction: the initial migration of a registry, or a
    /// benchmark's bulk load. Several times cheaper for the server than appending, because
    /// the keys (position, stream version, event id) are dropped for the load and rebuilt by sorting at the end,
    /// the rows are copied frozen into the table's fresh file, and nothing is looked up.
    ///
    /// Each request is judged as ``append(_:)`` would judge it against what the import wrote before it
    /// (expected versions, validation), and gets the same positions, versions and hash chain.
    /// - Parameter batches: the requests, in order, in batches of any size (each batch is planned and streamed
    ///   to the server while the next is produced; memory holds one batch plus the streams' versions).
    /// - Returns: how many events and requests were written, and the new head.
    /// - Throws: nothing is imported when anything fails: `EventLogError/Code/invalidArgument` when the log is
    ///   not empty; the first refused request's `EventLogError` (`EventLogError/Code/wrongExpectedVersion`,
    ///   `EventLogError/Code/invalidEvent`, or `EventLogError/Code/duplicateEventID` for an id repeated in one
    ///   batch); `EventLogError/Code/duplicateEventID` when an event id appears twice across batches (found
    ///   when the index is rebuilt); `EventLogError/Code/ioFailure` with the SQLSTATE.
    /// - Important: The import holds an exclusive lock on the events table: readers and appenders of this log
    ///   wait until it commits. A request repeating an earlier one of the same batch is an idempotent re-append,
    ///   as with ``append(_:)``; an event id repeated across batches fails the import.
    public func importLog<Batches: AsyncSequence>(_ batches: Batches) async throws -> ImportSummary
    where Batches.Element == [StreamAppend] {
        try checkOpen()
        let schema = self.schema
        let state = ImportState()
        return try await Self.mapErrors {
            try await appender.exclusive {
                // One batch's COPY input is sent on the writer's queue while the next is produced and planned here
                // (validated, encoded, hashed): the client's planning runs beside the server's ingest instead of
                // waiting whenever the socket is full.
                var sending: Task<Void, any Error>?
                do {
                    try await writer.run { connection in try Self.beginImport(connection, schema: schema, state: state) }
                    for try await batch in batches where !batch.isEmpty {
                        let input = try Self.planBatch(batch, state: state)
                        try await sending?.value
                        let writer = self.writer
                        sending = Task {
                            try await writer.run { connection in
                                for part in input { try connection.putCopyData(part, context: "import: copy rows") }
                            }
                        }
                    }
                    try await sending?.value
                    sending = nil
                    let summary = try await writer.run { connection in
                        try Self.finishImport(connection, schema: schema, state: state)
                    }
                    signal.publish(head: summary.head)
                    return summary
                } catch {
                    _ = try? await sending?.value
                    await writer.runAbandoningImport(state: state)
                    throw error
                }
            }
        }
    }

    static func beginImport(_ connection: PGConnection, schema: PostgresSchema, state: ImportState) throws {
        let looked = try connection.pipeline([
            PGStatement("BEGIN"),
            PGStatement("SELECT last_position, last_hash FROM \(schema.head) FOR UPDATE"),
            PGStatement("LOCK TABLE \(schema.events) IN ACCESS EXCLUSIVE MODE"),
            PGStatement("SELECT EXISTS (SELECT 1 FROM \(schema.events))"),
        ], context: "import: lock")
        let head = LogPosition(bitPattern: looked[1].int64(0, 0))
        guard head == 0, looked[3].bytes(0, 0).first == 0 else {
            throw EventLogError(.invalidArgument, "an import needs an empty log; this one's head is at \(head)")
        }
        // The table is empty: truncating it in this transaction gives it a new file, which lets COPY write the
        // rows already frozen (no hint-bit writes on the first read); the keys are dropped and built by sorting.
        try connection.execute(
            """
            ALTER TABLE \(schema.events) DISABLE TRIGGER events_no_truncate;
            TRUNCATE \(schema.events);
            ALTER TABLE \(schema.events) ENABLE TRIGGER events_no_truncate;
            \(schema.dropKeys);
            """, context: "import: drop keys")
        try connection.beginCopyIn(
            "COPY \(schema.events) (\(EventRow.copyColumns)) FROM STDIN (FORMAT binary, FREEZE)", context: "import: copy rows")
        state.copying = true
    }

    /// Plans one batch against what the import wrote before it and returns its part of the COPY input (the first
    /// with the header), in pieces of about 1 MiB.
    static func planBatch(_ batch: [StreamAppend], state: ImportState) throws -> [[UInt8]] {
        var parts: [[UInt8]] = []
        // The table of every stream's version is handed to the planner whole and updated in place (moved out of the
        // state and back, so it is never copied).
        var versions: [StreamID: StreamVersion] = [:]
        swap(&versions, &state.versions)
        defer { swap(&versions, &state.versions) }
        let plan = try AppendPlanner.plan(
            batch, head: state.head, updating: &versions, existing: [:],
            idsRepeatAcrossRequests: AppendPlanner.idsRepeat(in: batch), recordedTime: .now, flushSize: 1 << 20,
            sink: { parts.append($0) }, copyHeader: !state.sentHeader, copyTrailer: false)
        state.sentHeader = true
        for case .failure(let error) in plan.results { throw error }
        parts.append(plan.copyData)
        state.head = plan.head
        state.events += plan.rowCount
        state.requests += batch.count
        return parts
    }

    static func finishImport(_ connection: PGConnection, schema: PostgresSchema, state: ImportState) throws -> ImportSummary {
        if !state.sentHeader {
            var empty = PGCopyEncoder()
            try connection.putCopyData(empty.finish(), context: "import: copy rows")
        } else {
            try connection.putCopyData(PGCopyEncoder.trailer, context: "import: copy rows")
        }
        state.copying = false
        try connection.endCopyIn(context: "import: copy rows")
        do {
            try connection.execute(
                "SET LOCAL maintenance_work_mem = '256MB'; \(schema.addKeys)", context: "import: build keys")
        } catch {
            guard error.sqlState == "23505" else { throw error }
            throw EventLogError(.duplicateEventID, "the import holds an event id twice (\(error.constraint ?? "unique index"))")
        }
        try schema.moveHeadAndCommit(on: connection, to: (state.head.position, state.head.hash), context: "import: move head, commit")
        return ImportSummary(events: state.events, requests: state.requests, head: state.head.position)
    }
}

/// The running state of one ``PostgresEventStore/importLog(_:)``.
final class ImportState: @unchecked Sendable {
    // @unchecked Sendable: touched by one job at a time, never by two threads at once: the open, then each batch's
    // planning (in the importing task, one after another), then the end (on the writer's queue, after every send
    // finished); a send touches none of it, and `copying` only the open, the end and the abandon, which waits for
    // the send in flight.
    var head: (position: LogPosition, hash: RecordHash) = (0, .genesis)
    var versions: [StreamID: StreamVersion] = [:]
    var events = 0
    var requests = 0
    var copying = false
    var sentHeader = false
}

extension PGWorker {
    /// Rolls back a failed import: abandons its COPY if one is open, then the transaction.
    func runAbandoningImport(state: ImportState) async {
        _ = try? await run { connection in
            if state.copying { connection.abortCopyIn(); state.copying = false }
            connection.rollbackIfNeeded()
        }
    }
}
