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
    /// (FORMAT binary)` of the same columns a read selects, in physical order (a sequential scan: the cheapest way
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
                    "COPY (SELECT \(EventRow.columns) FROM \(events) WHERE position >= \(from)) TO STDOUT (FORMAT binary)",
                    context: "copy out"
                ) { chunk in bytes += chunk.count }
                return CopyReference(rows: rows, bytes: bytes)
            }
        }
    }
}
