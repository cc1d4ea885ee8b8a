import EventLog

/// The SQL schema holding one event log: its tables, its migrations, and the statements the store runs.
///
/// Every object lives in one PostgreSQL schema (`event_log` by default), so several logs, or several test runs,
/// share a database without meeting. The layout (version 1):
///
/// - `schema_version(version, description, applied_at)`: one row per applied migration.
/// - `events`: one row per record, every field a plain column (see DESIGN.md, "The PostgreSQL store").
/// - `head(last_position, last_hash)`: one row, locked `FOR UPDATE` by every appending transaction; this
///   serialises position assignment and commits, so positions are gapless in commit order.
/// - `payload_json(bytea)`, `events_readable`: the log for people reading it in psql.
struct PostgresSchema: Sendable {
    /// The newest layout version this code writes and reads.
    static let currentVersion: Int32 = 1

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
    /// The LISTEN/NOTIFY channel announcing appends: the payload is the new head position.
    var channel: String { "\(name)_appended" }

    /// The migrations, oldest first: version, description, SQL.
    var migrations: [(version: Int32, description: String, sql: String)] {
        [(1, "events, head, readable view", migration1)]
    }

    private var migration1: String {
        let s = quoted
        return """
        CREATE TABLE \(s).events (
            position        bigint      PRIMARY KEY CHECK (position > 0),
            stream_id       text        NOT NULL,
            stream_version  bigint      NOT NULL CHECK (stream_version >= 0),
            event_type      text        NOT NULL,
            schema_version  smallint    NOT NULL,
            recorded_at     timestamptz NOT NULL,
            effective_at    timestamptz NOT NULL,
            event_id        uuid        NOT NULL,
            correlation_id  uuid,
            causation_id    uuid,
            actor           text        NOT NULL DEFAULT '',
            headers         jsonb       NOT NULL DEFAULT '{}',
            payload         bytea       NOT NULL,
            hash            bytea       NOT NULL CHECK (octet_length(hash) = 32),
            CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version),
            CONSTRAINT events_event_id_key UNIQUE (event_id)
        );
        COMMENT ON TABLE \(s).events IS 'Append-only event log: one row per record, position gapless in commit order.';
        COMMENT ON COLUMN \(s).events.hash IS 'SHA-256 chain: hash(previous record) || canonical body (RecordFormat) without this field.';
        COMMENT ON COLUMN \(s).events.payload IS 'Opaque payload bytes; see payload_json() and the events_readable view.';

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
        CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON \(s).events
            FOR EACH ROW EXECUTE FUNCTION \(s).forbid_change();
        CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON \(s).events
            FOR EACH STATEMENT EXECUTE FUNCTION \(s).forbid_change();

        CREATE FUNCTION \(s).payload_json(p bytea) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE STRICT AS $$
        BEGIN
            RETURN convert_from(p, 'UTF8')::jsonb;
        EXCEPTION WHEN others THEN
            RETURN jsonb_build_object('bytes', octet_length(p), 'base64', encode(p, 'base64'));
        END $$;
        COMMENT ON FUNCTION \(s).payload_json(bytea) IS 'The payload as JSON when it is UTF-8 JSON text, else {bytes, base64}.';

        CREATE VIEW \(s).events_readable AS
            SELECT position, stream_id, split_part(stream_id, '-', 1) AS category, stream_version, event_type,
                   schema_version, recorded_at, effective_at, event_id,
                   jsonb_strip_nulls(jsonb_build_object(
                       'correlation_id', correlation_id, 'causation_id', causation_id,
                       'actor', actor, 'headers', headers)) AS metadata,
                   \(s).payload_json(payload) AS payload, octet_length(payload) AS payload_bytes,
                   encode(hash, 'hex') AS hash
            FROM \(s).events;
        """
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
        for m in migrations where m.version > found {
            try connection.execute(m.sql, context: "migrate: version \(m.version)")
            var p = PGParameters()
            p.append(m.version)
            p.append(m.description)
            try connection.query(
                "INSERT INTO \(quoted).schema_version (version, description) VALUES ($1, $2)", p, context: "migrate: record")
        }
        try connection.execute("COMMIT", context: "migrate: commit")
    }

    /// Checks, without writing anything, that the schema exists at the version this code reads: the open of a
    /// read-only store (a role with `SELECT` alone may not run the migration's `CREATE … IF NOT EXISTS`).
    /// - Throws: `EventLogError/Code/storeNotFound` when there is no log in this schema;
    ///   `EventLogError/Code/unsupportedFormat` when its version is not the one this code reads.
    func checkVersion(on connection: PGConnection) throws {
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
        if found < Self.currentVersion {
            throw EventLogError(
                .unsupportedFormat,
                "the PostgreSQL schema \(name) is at version \(found) and must be migrated to \(Self.currentVersion) by a writer (`registry migrate`)")
        }
    }
}
