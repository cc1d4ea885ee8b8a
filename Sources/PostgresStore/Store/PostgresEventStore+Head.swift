import EventLog

extension PostgresEventStore {
    /// Unfiltered reads check every record's chain hash against its predecessor's themselves (on the reader
    /// connections' threads, both halves of a large read at once), so `LogReader` does not check them again.
    public var checksChainOnRead: Bool { true }

    /// Compares the head row (`last_position`, `last_hash`) with the last row of `events`, in one snapshot.
    ///
    /// Every commit moves both together, so any difference is damage done outside the store (a row deleted or
    /// edited with the append-only trigger disabled): reported here, so `verify` fails and views refuse to run,
    /// rather than the log reading as intact up to its last remaining row.
    /// - Returns: the damage, or nil when they agree (or the server cannot be asked; the next read reports that).
    public func knownDamage() async -> EventLogError? {
        guard (try? checkOpen()) != nil else { return nil }
        let events = schema.events, head = schema.head
        return try? await Self.mapErrors {
            try await readers.run { connection -> EventLogError? in
                let r = try connection.query(
                    prepared: "declared_head",
                    """
                    SELECT h.last_position, h.last_hash, e.position, substring(e.record from \(RecordFormat.hashOffset + 1) for 32)
                    FROM \(head) h LEFT JOIN LATERAL (SELECT position, record FROM \(events) ORDER BY position DESC LIMIT 1) e ON true
                    """, PGParameters(), context: "declared head")
                let declared = LogPosition(bitPattern: r.int64(0, 0))
                let declaredHash = RecordHash(Array(r.bytes(0, 1)))
                let last: LogPosition = r.isNull(0, 2) ? 0 : LogPosition(bitPattern: r.int64(0, 2))
                let lastHash: RecordHash? = r.isNull(0, 3) ? (last == 0 ? .genesis : nil) : RecordHash(Array(r.bytes(0, 3)))
                if declared != last {
                    return EventLogError(
                        .corruptRecord,
                        "the head row declares the last record at position \(declared), but the last row of events is at \(last): rows were removed or added outside the store",
                        position: min(declared, last) + 1, location: "\(head)")
                }
                if declaredHash != lastHash {
                    return EventLogError(
                        .hashChainBroken, "the head row's hash differs from the last record's: the record or the head was altered",
                        position: last, location: "\(head)")
                }
                return nil
            }
        } ?? nil
    }
}
