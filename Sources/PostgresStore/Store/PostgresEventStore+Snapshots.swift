import EventLog

/// The views' snapshots kept in the database (`view_snapshot`, schema version 3): derived bytes beside the log, so
/// that a view of the current state folds only the records appended since instead of replaying the log.
///
/// The store keeps the bytes and knows nothing of their content: the caller writes what a checkpoint file would hold
/// (format, settings fingerprint, position, the chain hashes that tie it to this log, CRC) and checks it on reading.
/// A snapshot is kept as parts of at most ``snapshotPartSize`` bytes, one row each, all replaced together in one
/// transaction: a crash, a lost connection or a failure mid-write leaves the previous snapshot whole.
///
/// These are the only writes a ``Configuration/Access/readOnly`` store makes, each in a transaction of its own on a
/// reader connection, and only when asked: a role without the rights to write the table is told so
/// (``SnapshotSaving/notPermitted(_:)``), never failed.
extension PostgresEventStore {
    /// The largest part of a snapshot, in bytes: one `bytea` value, well under PostgreSQL's 1 GiB limit, and small
    /// enough for the server to hold one in memory while it sends or stores it.
    public static let snapshotPartSize = 64 << 20

    /// What became of a snapshot to be saved.
    public enum SnapshotSaving: Sendable, Hashable {
        /// Saved, replacing the previous one.
        case saved
        /// Not saved: another process was saving this snapshot at the same moment (its snapshot is as good).
        case busy
        /// Not saved: this role or server may not write the table (rights, a read-only server or transaction, a
        /// schema older than version 3); the reason in words.
        case notPermitted(String)
    }

    /// The bytes of the snapshot of one projection kind and area basis, nil when there is none (or the schema, at
    /// version 2, has no snapshot table).
    /// - Parameters:
    ///   - projection: the projection kind, such as `registry`: 1 to 64 of `a-z`, `0-9`, `_`, `-`.
    ///   - basis: its variant, such as the area basis `residence`: the same characters.
    /// - Throws: `EventLogError`: `EventLogError/Code/invalidArgument` for a bad name,
    ///   `EventLogError/Code/permissionDenied` when the role may not read the table,
    ///   `EventLogError/Code/corruptRecord` when its parts do not follow each other (one missing, two positions),
    ///   `EventLogError/Code/ioFailure` from the server.
    public func loadSnapshot(projection: String, basis: String) async throws -> [UInt8]? {
        try checkOpen()
        try Self.checkSnapshotName(projection)
        try Self.checkSnapshotName(basis)
        let table = schema.snapshots
        return try await Self.mapErrors {
            try await readers.run { c in try Self.loadSnapshot(on: c, table: table, projection: projection, basis: basis) }
        }
    }

    /// Saves a snapshot of one projection kind and area basis, replacing the one there, in one transaction.
    /// - Parameters:
    ///   - projection: the projection kind (see ``loadSnapshot(projection:basis:)``).
    ///   - basis: its variant.
    ///   - position: the log position it was folded to, kept beside the bytes for people reading the table.
    ///   - bytes: called once, on the connection's thread, with a function to which it hands the snapshot's bytes as
    ///     pieces in order, all at once (a large state hands its own buffers: nothing is copied).
    /// - Returns: ``SnapshotSaving/saved``, or why not (another saver at work, no right to write).
    /// - Throws: `EventLogError`: `EventLogError/Code/invalidArgument` for a bad name, `EventLogError/Code/ioFailure`
    ///   from the server, or what `bytes` throws; nothing is changed then.
    public func saveSnapshot(
        projection: String, basis: String, position: LogPosition,
        bytes: @escaping @Sendable (_ write: ([UnsafeRawBufferPointer]) throws -> Void) throws -> Void
    ) async throws -> SnapshotSaving {
        try checkOpen()
        try Self.checkSnapshotName(projection)
        try Self.checkSnapshotName(basis)
        let table = schema.snapshots, lockName = "CoverageRegistry.PostgresStore.\(schema.name).snapshot.\(projection).\(basis)"
        return try await Self.mapErrors {
            try await readers.run { c in
                try Self.saveSnapshot(on: c, table: table, lockName: lockName, projection: projection, basis: basis,
                                      position: position, partSize: Self.snapshotPartSize, bytes: bytes)
            }
        }
    }

    /// A projection or basis name: it is spliced into the text of a `COPY` (which takes no parameters), so it is
    /// held to `[a-z0-9_-]{1,64}`.
    static func checkSnapshotName(_ name: String) throws(EventLogError) {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 64,
              bytes.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2D })
        else {
            throw EventLogError(.invalidArgument, "a snapshot's projection and basis are 1 to 64 of a-z, 0-9, _ and -")
        }
    }

    /// Reads every part in one snapshot of the database (`REPEATABLE READ`), so a save committed meanwhile is seen
    /// whole or not at all.
    static func loadSnapshot(on c: PGConnection, table: String, projection: String, basis: String) throws -> [UInt8]? {
        do {
            return try readSnapshot(on: c, table: table, projection: projection, basis: basis)
        } catch {
            c.rollbackIfNeeded()
            throw error
        }
    }

    private static func readSnapshot(on c: PGConnection, table: String, projection: String, basis: String) throws -> [UInt8]? {
        try c.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", context: "snapshot: begin")
        var p = PGParameters()
        p.append(projection)
        p.append(basis)
        let asked = Result { () throws(PostgresError) -> PGResult in
            try c.query(
                """
                SELECT count(*)::int8, coalesce(sum(octet_length(bytes)), 0)::int8, coalesce(max(part), -1)::int8,
                       coalesce(min(position), 0)::int8, coalesce(max(position), 0)::int8
                FROM \(table) WHERE projection = $1 AND basis = $2
                """, p, context: "snapshot: size")
        }
        if case .failure(let error) = asked, error.sqlState == "42P01" {
            // A version 2 schema, read as it is: no snapshot table, so no snapshot.
            c.rollbackIfNeeded()
            return nil
        }
        let summary = try asked.get()
        let parts = summary.int64(0, 0), total = summary.int64(0, 1), last = summary.int64(0, 2)
        guard parts > 0 else {
            try c.execute("COMMIT", context: "snapshot: end")
            return nil
        }
        guard last == parts - 1, summary.int64(0, 3) == summary.int64(0, 4) else {
            throw EventLogError(.corruptRecord, "the snapshot \(projection)/\(basis) has parts missing or of different positions")
        }
        let count = Int(total)
        var received = 0
        let bytes = try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            try c.copyOutBinaryRows(
                "COPY (SELECT bytes FROM \(table) WHERE projection = '\(projection)' AND basis = '\(basis)' ORDER BY part) TO STDOUT (FORMAT binary)",
                context: "snapshot: read"
            ) { data in
                guard data.count >= 6, PGBinary.load(Int16.self, from: data) == 1 else {
                    throw EventLogError(.corruptRecord, "a snapshot part does not hold one value")
                }
                let n = Int(PGBinary.load(Int32.self, from: data, at: 2))
                guard n >= 0, data.count == 6 + n, received + n <= count else {
                    throw EventLogError(.corruptRecord, "a snapshot part is not the size the table declares")
                }
                UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[received..<(received + n)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: data[6...]))
                received += n
            }
            initialized = received
        }
        guard received == count else {
            throw EventLogError(.corruptRecord, "the snapshot \(projection)/\(basis) ended after \(received) of \(count) bytes")
        }
        try c.execute("COMMIT", context: "snapshot: end")
        return bytes
    }

    /// Deletes the old parts and copies the new ones in, in one transaction; gives up (``SnapshotSaving/busy``)
    /// when another connection holds this snapshot's advisory lock, and says so (``SnapshotSaving/notPermitted(_:)``)
    /// before any byte is produced when the role may not write.
    static func saveSnapshot(
        on c: PGConnection, table: String, lockName: String, projection: String, basis: String, position: LogPosition,
        partSize: Int, bytes: (([UnsafeRawBufferPointer]) throws -> Void) throws -> Void
    ) throws -> SnapshotSaving {
        do {
            return try writeSnapshot(on: c, table: table, lockName: lockName, projection: projection, basis: basis,
                                     position: position, partSize: partSize, bytes: bytes)
        } catch {
            c.rollbackIfNeeded()
            throw error
        }
    }

    private static func writeSnapshot(
        on c: PGConnection, table: String, lockName: String, projection: String, basis: String, position: LogPosition,
        partSize: Int, bytes: (([UnsafeRawBufferPointer]) throws -> Void) throws -> Void
    ) throws -> SnapshotSaving {
        try c.execute("BEGIN", context: "snapshot: begin")
        var p = PGParameters()
        p.append(table)
        let asked = Result { () throws(PostgresError) -> PGResult in
            try c.query(
                """
                SELECT current_setting('transaction_read_only') = 'off', has_table_privilege($1, 'INSERT'),
                       has_table_privilege($1, 'DELETE'), has_table_privilege($1, 'SELECT')
                """, p, binaryResult: false, context: "snapshot: rights")
        }
        if case .failure(let error) = asked, error.sqlState == "42P01" || error.sqlState == "3F000" {
            c.rollbackIfNeeded()
            return .notPermitted("the schema has no snapshot table yet (version 2): `registry migrate` adds it")
        }
        let allowed = try asked.get()
        let flags = (0..<4).map { allowed.string(0, $0) == "t" }
        guard flags[0] else {
            try c.execute("ROLLBACK")
            return .notPermitted("the server or this role's transactions are read-only")
        }
        guard flags[1], flags[2], flags[3] else {
            try c.execute("ROLLBACK")
            return .notPermitted("this role may not write \(table) (it needs SELECT, INSERT and DELETE on it)")
        }
        var l = PGParameters()
        l.append(lockName)
        guard try c.query("SELECT pg_try_advisory_xact_lock(hashtext($1))", l, binaryResult: false, context: "snapshot: lock").string(0, 0) == "t" else {
            try c.execute("ROLLBACK")
            return .busy
        }
        var k = PGParameters()
        k.append(projection)
        k.append(basis)
        try c.query("DELETE FROM \(table) WHERE projection = $1 AND basis = $2", k, context: "snapshot: replace")
        try c.beginCopyIn("COPY \(table) (projection, basis, part, position, bytes) FROM STDIN (FORMAT binary)", context: "snapshot: write")
        do {
            try bytes { pieces in
                let total = pieces.reduce(0) { $0 + $1.count }
                var header = PGCopyEncoder()
                try c.putCopyData(header.takeBytes(), context: "snapshot: write")
                var part: Int32 = 0, left = 0, sent = 0
                for piece in pieces {
                    var offset = 0
                    while offset < piece.count {
                        if left == 0 {
                            left = min(partSize, total - sent)
                            // The row's five values; the last one's length, then its bytes as they come.
                            var rowHead: [UInt8] = []
                            rowHead.appendBE(Int16(5))
                            rowHead.appendBE(Int32(projection.utf8.count))
                            rowHead += projection.utf8
                            rowHead.appendBE(Int32(basis.utf8.count))
                            rowHead += basis.utf8
                            rowHead.appendBE(Int32(4))
                            rowHead.appendBE(part)
                            rowHead.appendBE(Int32(8))
                            rowHead.appendBE(Int64(bitPattern: position))
                            rowHead.appendBE(Int32(left))
                            try c.putCopyData(rowHead, context: "snapshot: write")
                            part += 1
                        }
                        let n = min(left, piece.count - offset)
                        try c.putCopyData(UnsafeRawBufferPointer(rebasing: piece[offset..<(offset + n)]), context: "snapshot: write")
                        offset += n
                        left -= n
                        sent += n
                    }
                }
                var trailer = PGCopyEncoder(header: false)
                try c.putCopyData(trailer.finish(), context: "snapshot: write")
            }
        } catch {
            c.abortCopyIn()
            throw error
        }
        try c.endCopyIn(context: "snapshot: write")
        try c.execute("COMMIT", context: "snapshot: commit")
        return .saved
    }
}
