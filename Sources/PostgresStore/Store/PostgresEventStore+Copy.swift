import EventLog

extension PostgresEventStore {
    /// What ``copyOutReference(from:)`` moved.
    public struct CopyReference: Sendable, Hashable {
        /// Rows copied.
        public var rows: Int
        /// Bytes received.
        public var bytes: Int
    }

    /// The physical reference for replay benchmarks: `COPY (SELECT … FROM events WHERE position >= n) TO STDOUT
    /// (FORMAT binary)` of the column a read selects (`record`), in physical order (a sequential scan: the cheapest way
    /// the server can hand out these rows; for an append-only table it is position order in practice), received
    /// and discarded.
    /// - Parameter position: the first position copied.
    /// - Returns: rows and bytes received.
    /// - Throws: `EventLogError/Code/ioFailure` with the SQLSTATE.
    public func copyOutReference(from position: LogPosition = 1) async throws -> CopyReference {
        try checkOpen()
        let events = schema.events
        let from = Int64(clamping: position)
        return try await Self.mapErrors {
            try await readers.run { connection in
                var bytes = 0
                // COPY takes no parameters; the only value here is an integer this code formats.
                let rows = try connection.copyOut(
                    "COPY (SELECT record FROM \(events) WHERE position >= \(from)) TO STDOUT (FORMAT binary)",
                    context: "copy out"
                ) { chunk in bytes += chunk.count }
                return CopyReference(rows: rows, bytes: bytes)
            }
        }
    }
}

extension PostgresEventStore {
    /// What ``copyInReference(_:keys:)`` loaded, and how long the COPY took.
    public struct CopyInReference: Sendable, Hashable {
        /// Rows copied.
        public var rows: Int
        /// Bytes of COPY input sent.
        public var bytes: Int
        /// Wall-clock seconds from `BEGIN` to `COMMIT` (the rows were encoded before).
        public var seconds: Double
    }

    /// The physical reference for bulk-load benchmarks: the rows ``importLog(_:)`` would write for `batches`
    /// (encoded and hashed first, untimed), then timed: `BEGIN`, `CREATE TABLE` of the same columns (without keys,
    /// or with the three keys of `events` when `keys` is true, maintained row by row as a plain COPY does), one
    /// binary `COPY … FROM STDIN (FREEZE)` of every row, `COMMIT`. The table is dropped afterwards; the log is not
    /// touched.
    /// - Returns: rows, bytes and the seconds of the timed part.
    /// - Throws: `EventLogError/Code/ioFailure` with the SQLSTATE; the first refused request's error.
    public func copyInReference<Batches: AsyncSequence>(_ batches: Batches, keys: Bool = false) async throws -> CopyInReference
    where Batches.Element == [StreamAppend] {
        try checkOpen()
        var parts: [[UInt8]] = []
        var head: (position: LogPosition, hash: RecordHash) = (0, .genesis)
        var versions: [StreamID: StreamVersion] = [:]
        var rows = 0, bytes = 0
        for try await batch in batches where !batch.isEmpty {
            var known: [StreamID: StreamVersion] = [:]
            let needs = AppendPlanner.needs(of: batch)
            for s in needs.streams { if let v = versions[s] { known[s] = v } }
            let plan = try AppendPlanner.plan(
                batch, head: head, versions: known, existing: [:], idsRepeatAcrossRequests: needs.idsRepeatAcrossRequests,
                recordedTime: .now, flushSize: 1 << 20, sink: { parts.append($0); bytes += $0.count },
                copyHeader: parts.isEmpty, copyTrailer: false)
            for case .failure(let error) in plan.results { throw error }
            parts.append(plan.copyData)
            bytes += plan.copyData.count
            for (s, v) in plan.versions { versions[s] = v }
            head = plan.head
            rows += plan.rowCount
        }
        parts.append(PGCopyEncoder.trailer)
        let schema = self.schema
        let (input, rowCount, byteCount) = (parts, rows, bytes)
        let table = "copy_reference"
        return try await Self.mapErrors {
            try await writer.run { connection in
                try connection.execute("DROP TABLE IF EXISTS \(schema.quoted).\(table)", context: "copy in reference")
                let clock = ContinuousClock()
                let start = clock.now
                try connection.execute(
                    "BEGIN; " + schema.createEventsTable(table) + (keys ? schema.addKeys(to: table) : ""), context: "copy in reference")
                try connection.beginCopyIn(
                    "COPY \(schema.quoted).\(table) (\(EventRow.copyColumns)) FROM STDIN (FORMAT binary, FREEZE)",
                    context: "copy in reference")
                do {
                    for part in input { try connection.putCopyData(part, context: "copy in reference") }
                } catch {
                    connection.abortCopyIn()
                    connection.rollbackIfNeeded()
                    throw error
                }
                _ = try connection.endCopyIn(context: "copy in reference")
                try connection.execute("COMMIT", context: "copy in reference")
                let elapsed = clock.now - start
                try connection.execute("DROP TABLE \(schema.quoted).\(table)", context: "copy in reference")
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                return CopyInReference(rows: rowCount, bytes: byteCount, seconds: seconds)
            }
        }
    }
}
