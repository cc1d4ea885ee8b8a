import EventLog

/// The SQL schema holding one event log: its tables, its migrations, and the statements the store runs.
///
/// Every object lives in one PostgreSQL schema (`event_log` by default), so several logs, or several test runs,
/// share a database without meeting. The layout (version 2):
///
/// - `schema_version(version, description, applied_at)`: one row per applied migration.
/// - `events`: one row per record: the queryable fields as plain columns (position, stream, version, type,
///   times, event id) beside `record`, the canonical body (`RecordFormat`) the file store keeps, which reads hand
///   out unchanged (see DESIGN.md, "The PostgreSQL store").
/// - `head(last_position, last_hash)`: one row, locked `FOR UPDATE` by every appending transaction; this
///   serialises position assignment and commits, so positions are gapless in commit order.
/// - `record_*(bytea)`, `payload_json(bytea)`, `events_readable`: the log for people reading it in psql.
/// - `view_snapshot(projection, basis, part, position, bytes)` (version 3): the views' snapshots, derived from the
///   log and disposable (``PostgresEventStore/saveSnapshot(projection:basis:position:bytes:)``).
///
/// Version 1 kept every field in a column of its own; opening it for writing migrates it (``migrate(on:)``).
/// Version 2 had no snapshot table; a writer adds it, and a reader reads a version 2 log as it is (its events are
/// the same), without snapshots.
struct PostgresSchema: Sendable {
    /// The newest layout version this code writes and reads.
    static let currentVersion: Int32 = 3
    /// The oldest layout a read-only open reads as it is: version 3 only added the snapshot table.
    static let oldestReadableVersion: Int32 = 2

    /// The schema's name (validated: lower-case letters, digits, `_`).
    let name: String

    /// Checks and keeps a schema name.
    /// - Throws: `EventLogError/Code/invalidArgument` unless `name` is 1 to 48 of `[a-z0-9_]` not starting
    ///   with a digit: the name is an identifier spliced into DDL, so it is held to that form.
    init(name: String) throws(EventLogError) {
        let bytes = Array(name.utf8)
        let ok = !bytes.isEmpty && bytes.count <= 48
            && bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
            && !(bytes[0] >= 0x30 && bytes[0] <= 0x39)
        guard ok else {
            throw EventLogError(.invalidArgument, "a PostgreSQL schema name must be 1 to 48 of a-z, 0-9 and _, not starting with a digit")
        }
        self.name = name
    }

    /// The quoted schema name, for SQL text.
    var quoted: String { "\"\(name)\"" }
    /// The table of events.
    var events: String { "\(quoted).events" }
    /// The head table.
    var head: String { "\(quoted).head" }
    /// The table of the views' snapshots.
    var snapshots: String { "\(quoted).view_snapshot" }
    /// The LISTEN/NOTIFY channel announcing appends: the payload is the new head position.
    var channel: String { "\(name)_appended" }

    /// The description recorded in `schema_version` for each version.
    static let descriptions: [Int32: String] = [
        1: "events, head, readable view",
        2: "events: queryable columns beside the canonical record",
        3: "view_snapshot: the views' snapshots, derived from the log",
    ]

    /// `CREATE TABLE` of a version 2 events table named `table`, without its keys (an import or the migration
    /// adds them after loading, by sorting).
    func createEventsTable(_ table: String) -> String {
        """
        CREATE TABLE \(quoted).\(table) (
            position        bigint      NOT NULL CHECK (position > 0),
            stream_id       text        COLLATE "C" NOT NULL,
            stream_version  bigint      NOT NULL CHECK (stream_version >= 0),
            event_type      text        COLLATE "C" NOT NULL,
            recorded_at     timestamptz NOT NULL,
            effective_at    timestamptz NOT NULL,
            event_id        uuid        NOT NULL,
            record          bytea       NOT NULL
        );
        ALTER TABLE \(quoted).\(table) ALTER COLUMN record SET STORAGE EXTERNAL;
        """
    }

    /// The three keys of `events`: position, (stream, version), event id. Built by sorting when added to a loaded
    /// table.
    var addKeys: String { addKeys(to: "events") }

    /// The three keys on a table of the events' shape, named after it.
    func addKeys(to table: String) -> String {
        """
        ALTER TABLE \(quoted).\(table)
            ADD CONSTRAINT \(table)_pkey PRIMARY KEY (position),
            ADD CONSTRAINT \(table)_stream_version_key UNIQUE (stream_id, stream_version),
            ADD CONSTRAINT \(table)_event_id_key UNIQUE (event_id)
        """
    }

    /// The keys dropped for a bulk load into an empty table.
    var dropKeys: String {
        """
        ALTER TABLE \(events)
            DROP CONSTRAINT events_pkey, DROP CONSTRAINT events_stream_version_key, DROP CONSTRAINT events_event_id_key
        """
    }

    /// A new log at version 2.
    private var fresh: String {
        let s = quoted
        return createEventsTable("events") + ";\n" + addKeys + ";\n" + """
        CREATE TABLE \(s).head (
            id             boolean PRIMARY KEY DEFAULT true CHECK (id),
            last_position  bigint  NOT NULL,
            last_hash      bytea   NOT NULL CHECK (octet_length(last_hash) = 32)
        );
        COMMENT ON TABLE \(s).head IS 'One row: the last position and hash. Appenders lock it FOR UPDATE, which serialises positions and commits.';
        INSERT INTO \(s).head (id, last_position, last_hash) VALUES (true, 0, decode(repeat('00', 32), 'hex'));

        CREATE FUNCTION \(s).forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the event log is append-only: % on events is not allowed', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END $$;
        """ + "\n" + eventsObjects + "\n" + snapshotTable
    }

    /// Version 3: the views' snapshots, one row per part of at most ``PostgresEventStore/snapshotPartSize`` bytes, the
    /// parts of one snapshot replaced together in one transaction. No key refers to `events`: partitioning the log
    /// (by region) leaves this table as it is.
    private var snapshotTable: String {
        """
        CREATE TABLE \(snapshots) (
            projection  text        COLLATE "C" NOT NULL,
            basis       text        COLLATE "C" NOT NULL,
            part        integer     NOT NULL CHECK (part >= 0),
            position    bigint      NOT NULL CHECK (position >= 0),
            bytes       bytea       NOT NULL,
            saved_at    timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (projection, basis, part)
        );
        ALTER TABLE \(snapshots) ALTER COLUMN bytes SET STORAGE EXTERNAL;
        COMMENT ON TABLE \(snapshots) IS 'The views'' snapshots (derived, disposable): the bytes of a checkpoint file in parts, in part order, stamped with the log position and the chain hashes they were folded to. Delete the rows to make the views replay the log.'
        """
    }

    /// What hangs off `events` at version 2: comments, the append-only triggers, the record's SQL readers and the
    /// readable view.
    private var eventsObjects: String {
        let s = quoted
        return """
        COMMENT ON TABLE \(s).events IS 'Append-only event log: one row per record, position gapless in commit order.';
        COMMENT ON COLUMN \(s).events.record IS 'The canonical record (RecordFormat, little-endian; the hash at bytes 49-80 chains it to the previous record). Read it with events_readable or the record_* functions.';
        CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON \(s).events
            FOR EACH ROW EXECUTE FUNCTION \(s).forbid_change();
        CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON \(s).events
            FOR EACH STATEMENT EXECUTE FUNCTION \(s).forbid_change();

        CREATE OR REPLACE FUNCTION \(s).record_u16(r bytea, o int) RETURNS int LANGUAGE sql IMMUTABLE STRICT AS
            $$ SELECT get_byte(r, o) + get_byte(r, o + 1) * 256 $$;
        CREATE OR REPLACE FUNCTION \(s).record_u32(r bytea, o int) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS
            $$ SELECT get_byte(r, o)::bigint + get_byte(r, o + 1)::bigint * 256 + get_byte(r, o + 2)::bigint * 65536
                      + get_byte(r, o + 3)::bigint * 16777216 $$;
        CREATE OR REPLACE FUNCTION \(s).record_hash(r bytea) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS
            $$ SELECT substring(r from 49 for 32) $$;
        CREATE OR REPLACE FUNCTION \(s).record_payload(r bytea) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS
            $$ SELECT substring(r from 97 + \(s).record_u16(r, 82) + \(s).record_u16(r, 84) + \(s).record_u32(r, 88)::int
                                for \(s).record_u32(r, 92)::int) $$;
        CREATE OR REPLACE FUNCTION \(s).record_metadata(r bytea) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        DECLARE
            o int := 96 + \(s).record_u16(r, 82) + \(s).record_u16(r, 84);
            flags int := get_byte(r, o);
            correlation uuid; causation uuid; actor text; headers jsonb := '{}'; n int; kl int; vl int; k text;
        BEGIN
            o := o + 1;
            IF flags & 1 = 1 THEN correlation := encode(substring(r from o + 1 for 16), 'hex')::uuid; o := o + 16; END IF;
            IF flags & 2 = 2 THEN causation := encode(substring(r from o + 1 for 16), 'hex')::uuid; o := o + 16; END IF;
            actor := convert_from(substring(r from o + 2 for get_byte(r, o)), 'UTF8');
            o := o + 1 + get_byte(r, o);
            n := \(s).record_u16(r, o);
            o := o + 2;
            FOR i IN 1..n LOOP
                kl := \(s).record_u16(r, o);
                k := convert_from(substring(r from o + 3 for kl), 'UTF8');
                o := o + 2 + kl;
                vl := \(s).record_u16(r, o);
                headers := headers || jsonb_build_object(k, convert_from(substring(r from o + 3 for vl), 'UTF8'));
                o := o + 2 + vl;
            END LOOP;
            RETURN jsonb_strip_nulls(jsonb_build_object(
                'correlation_id', correlation, 'causation_id', causation, 'actor', actor, 'headers', headers));
        END $$;
        CREATE OR REPLACE FUNCTION \(s).payload_json(p bytea) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        BEGIN
            RETURN convert_from(p, 'UTF8')::jsonb;
        EXCEPTION WHEN others THEN
            RETURN jsonb_build_object('bytes', octet_length(p), 'base64', encode(p, 'base64'));
        END $$;
        COMMENT ON FUNCTION \(s).payload_json(bytea) IS 'The payload as JSON when it is UTF-8 JSON text, else {bytes, base64}.';

        CREATE VIEW \(s).events_readable AS
            SELECT position, stream_id, split_part(stream_id, '-', 1) AS category, stream_version, event_type,
                   \(s).record_u16(record, 80) AS schema_version, recorded_at, effective_at, event_id,
                   \(s).record_metadata(record) AS metadata,
                   \(s).payload_json(\(s).record_payload(record)) AS payload, \(s).record_u32(record, 92) AS payload_bytes,
                   encode(\(s).record_hash(record), 'hex') AS hash
            FROM \(s).events;
        """
    }

    /// Version 1 to 2, in the migration's transaction: the old table is renamed, its rows are turned into
    /// canonical records (the same conversion version 1 reads made) and copied into the new table in parts of
    /// 65,536, the keys are built by sorting, and the old table is dropped.
    private func migrateFromVersion1(on connection: PGConnection) throws {
        let s = quoted
        try connection.execute(
            """
            DROP VIEW \(s).events_readable;
            ALTER TABLE \(s).events RENAME TO events_v1;
            ALTER TABLE \(s).events_v1 RENAME CONSTRAINT events_pkey TO events_v1_pkey;
            ALTER TABLE \(s).events_v1 RENAME CONSTRAINT events_stream_version_key TO events_v1_stream_version_key;
            ALTER TABLE \(s).events_v1 RENAME CONSTRAINT events_event_id_key TO events_v1_event_id_key;
            """ + createEventsTable("events"), context: "migrate to version 2: rename")
        let r = try connection.query("SELECT coalesce(max(position), 0) FROM \(s).events_v1", context: "migrate to version 2: count")
        let last = LogPosition(bitPattern: r.int64(0, 0))
        let part: LogPosition = 65_536
        let fields = UnsafeMutableBufferPointer<Int>.allocate(capacity: 28)
        defer { fields.deallocate() }
        var from: LogPosition = 1
        while from <= last {
            var copy = PGCopyEncoder()
            var body: [UInt8] = []
            var expected = from
            try connection.copyOutBinaryRows(
                "COPY (SELECT \(EventRowV1.columns) FROM \(s).events_v1 WHERE position >= \(from) AND position < \(from + part) ORDER BY position) TO STDOUT (FORMAT binary)",
                context: "migrate to version 2: read"
            ) { data in
                guard let row = CopyRow.parse(data, into: fields) else {
                    throw EventLogError(.corruptRecord, "a version 1 row does not hold the expected columns", position: expected)
                }
                body.removeAll(keepingCapacity: true)
                try EventRowV1.appendBody(of: row, into: &body)
                try body.withUnsafeBytes { b in
                    try EventRow.check(b, position: expected)
                    EventRow.encode(body: b, into: &copy)
                }
                expected += 1
            }
            _ = try connection.copyIn(
                "COPY \(s).events (\(EventRow.copyColumns)) FROM STDIN (FORMAT binary)", data: copy.finish(),
                context: "migrate to version 2: write")
            from += part
        }
        try connection.execute(addKeys + ";\nDROP TABLE \(s).events_v1;\n" + eventsObjects, context: "migrate to version 2: keys")
    }

    /// Creates the schema or migrates it to ``currentVersion``, under an advisory lock so that stores opening
    /// together do not race.
    /// - Throws: `EventLogError/Code/unsupportedFormat` when the schema is newer than this code;
    ///   ``PostgresError`` from the server.
    /// Moves the head row to the last record written, announces it (NOTIFY, delivered at commit) and commits the
    /// open transaction: one round trip, shared by appends and imports.
    func moveHeadAndCommit(on connection: PGConnection, to head: (position: LogPosition, hash: RecordHash), context: String) throws {
        var u = PGParameters()
        u.append(Int64(bitPattern: head.position))
        u.append(bytes: head.hash.bytes)
        u.append(channel)
        _ = try connection.pipeline([
            PGStatement(
                """
                WITH moved AS (UPDATE \(self.head) SET last_position = $1, last_hash = $2 WHERE id RETURNING last_position)
                SELECT pg_notify($3, (SELECT last_position FROM moved)::text)
                """, u, prepared: "move_head"),
            PGStatement("COMMIT"),
        ], context: context)
    }

    func migrate(on connection: PGConnection) throws {
        try connection.execute("BEGIN", context: "migrate")
        var params = PGParameters()
        params.append("CoverageRegistry.PostgresStore." + name)
        try connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", params, context: "migrate: lock")
        try connection.execute(
            """
            CREATE SCHEMA IF NOT EXISTS \(quoted);
            CREATE TABLE IF NOT EXISTS \(quoted).schema_version (
                version     integer     PRIMARY KEY,
                description text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            );
            """, context: "migrate: schema_version")
        let r = try connection.query("SELECT coalesce(max(version), 0)::int8 FROM \(quoted).schema_version", context: "migrate: version")
        let found = Int32(r.int64(0, 0))
        guard found <= Self.currentVersion else {
            try connection.execute("ROLLBACK")
            throw EventLogError(
                .unsupportedFormat,
                "the PostgreSQL schema \(name) is at version \(found); this code reads up to \(Self.currentVersion)")
        }
        if found < Self.currentVersion {
            if found == 0 {
                try connection.execute(fresh, context: "migrate: version \(Self.currentVersion)")
            } else {
                if found == 1 { try migrateFromVersion1(on: connection) }
                try connection.execute(snapshotTable, context: "migrate to version 3")
            }
            // A new schema records the version it was made at; a migrated one, each step it went through.
            let applied: [Int32] = found == 0 ? [Self.currentVersion] : Array((found + 1)...Self.currentVersion)
            for version in applied {
                var p = PGParameters()
                p.append(version)
                p.append(Self.descriptions[version] ?? "")
                try connection.query(
                    "INSERT INTO \(quoted).schema_version (version, description) VALUES ($1, $2)", p, context: "migrate: record")
            }
        }
        try connection.execute("COMMIT", context: "migrate: commit")
    }

    /// Checks, without writing anything, that the schema exists at a version this code reads: the open of a
    /// read-only store (a role with `SELECT` alone may not run the migration's `CREATE … IF NOT EXISTS`).
    /// - Returns: the version found (``oldestReadableVersion`` up to ``currentVersion``).
    /// - Throws: `EventLogError/Code/storeNotFound` when there is no log in this schema;
    ///   `EventLogError/Code/unsupportedFormat` when its version is not one this code reads.
    @discardableResult
    func checkVersion(on connection: PGConnection) throws -> Int32 {
        let result = Result { () throws(PostgresError) -> Int32 in
            let r = try connection.query("SELECT coalesce(max(version), 0)::int8 FROM \(quoted).schema_version", context: "open: version")
            return Int32(r.int64(0, 0))
        }
        if case .failure(let error) = result, error.sqlState == "42P01" || error.sqlState == "3F000" {
            throw EventLogError(.storeNotFound, "no event log in the PostgreSQL schema \(name)")
        }
        let found = try result.get()
        if found > Self.currentVersion {
            throw EventLogError(
                .unsupportedFormat,
                "the PostgreSQL schema \(name) is at version \(found); this code reads up to \(Self.currentVersion)")
        }
        if found < Self.oldestReadableVersion {
            throw EventLogError(
                .unsupportedFormat,
                "the PostgreSQL schema \(name) is at version \(found) and must be migrated to \(Self.currentVersion) by a writer (`registry migrate`)")
        }
        return found
    }
}
