import EventLog
import Foundation
import Testing
@testable import PostgresStore

@Suite("Schema version 2 and 3: the canonical record beside the queryable columns; the views' snapshots", .serialized)
struct PostgresSchemaTests {
    /// Events with every metadata shape: ids, actor, headers (sorted, escaped), JSON and binary payloads.
    static func varied(_ n: Int) -> [ProposedEvent] {
        (0..<n).map { i in
            let meta = EventMetadata(
                correlationID: i % 2 == 0 ? UUID() : nil, causationID: i % 3 == 0 ? UUID() : nil,
                actor: i % 4 == 0 ? "" : "clerk-\(i)", headers: i % 5 == 0 ? [:] : ["feed-line": "\(i)", "a\"b": "vé😀\\"])
            return Fixtures.event("Type\(i % 3)", payload: i % 2 == 0 ? "{\"n\": \(i)}" : "\u{01}\u{02}\(i)", metadata: meta)
        }
    }

    static func readAll(_ store: PostgresEventStore) async throws -> [RecordedEvent] {
        var out: [RecordedEvent] = []
        for try await batch in store.readAll(batchSize: 64) { out += batch.events }
        return out
    }

    @Test("a version 1 log is migrated on open: every record byte-identical, the chain intact and continuing")
    func migratesFromVersion1() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        var store = try await TestStores.open(schema: schema)
        for s in 0..<3 {
            try await store.append(Self.varied(40), to: Fixtures.stream("person-\(s)"))
        }
        let before = try await Self.readAll(store)
        try await store.close()
        #expect(before.count == 120)

        // Turn the log back into the version 1 layout, its columns filled through the SQL readers of the record
        // (so those are checked too: any field they misread breaks the migrated chain).
        let c = try PGConnection(try TestServer.connectionString())
        let s = "\"\(schema)\""
        try c.execute(
            """
            BEGIN;
            CREATE TABLE \(s).v1 (
                position bigint PRIMARY KEY CHECK (position > 0), stream_id text NOT NULL,
                stream_version bigint NOT NULL CHECK (stream_version >= 0), event_type text NOT NULL,
                schema_version smallint NOT NULL, recorded_at timestamptz NOT NULL, effective_at timestamptz NOT NULL,
                event_id uuid NOT NULL, correlation_id uuid, causation_id uuid, actor text NOT NULL DEFAULT '',
                headers jsonb NOT NULL DEFAULT '{}', payload bytea NOT NULL,
                hash bytea NOT NULL CHECK (octet_length(hash) = 32),
                CONSTRAINT v1_stream_version_key UNIQUE (stream_id, stream_version), CONSTRAINT v1_event_id_key UNIQUE (event_id));
            INSERT INTO \(s).v1
                SELECT position, stream_id, stream_version, event_type, \(s).record_u16(record, 80)::smallint, recorded_at,
                       effective_at, event_id, (\(s).record_metadata(record)->>'correlation_id')::uuid,
                       (\(s).record_metadata(record)->>'causation_id')::uuid, \(s).record_metadata(record)->>'actor',
                       \(s).record_metadata(record)->'headers', \(s).record_payload(record), \(s).record_hash(record)
                FROM \(s).events;
            DROP TABLE \(s).events CASCADE;
            ALTER TABLE \(s).v1 RENAME TO events;
            ALTER TABLE \(s).events RENAME CONSTRAINT v1_pkey TO events_pkey;
            ALTER TABLE \(s).events RENAME CONSTRAINT v1_stream_version_key TO events_stream_version_key;
            ALTER TABLE \(s).events RENAME CONSTRAINT v1_event_id_key TO events_event_id_key;
            CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON \(s).events
                FOR EACH ROW EXECUTE FUNCTION \(s).forbid_change();
            CREATE VIEW \(s).events_readable AS SELECT position, actor, headers FROM \(s).events;
            DROP TABLE \(s).view_snapshot;
            DELETE FROM \(s).schema_version;
            INSERT INTO \(s).schema_version (version, description) VALUES (1, 'events, head, readable view');
            COMMIT;
            """)
        // A reader does not migrate: it asks for `registry migrate`.
        do {
            _ = try await TestStores.open(schema: schema, access: .readOnly)
            Issue.record("a version 1 schema opened read-only")
        } catch let e as EventLogError {
            #expect(e.code == .unsupportedFormat)
        }

        store = try await TestStores.open(schema: schema)
        let after = try await Self.readAll(store)
        #expect(after == before)
        let version = try c.query("SELECT max(version)::int8 FROM \(s).schema_version")
        #expect(version.int64(0, 0) == 3, "through version 2 to 3: the snapshot table is added")
        #expect(try c.query("SELECT count(*)::int8 FROM \(s).view_snapshot").int64(0, 0) == 0)
        try await store.append(Self.varied(3), to: Fixtures.stream("person-1"), expecting: .exactly(39))
        let report = await LogVerifier.verify(store)
        #expect(report.failure == nil)
        #expect(report.intactUpTo == 123)
        #expect(await store.knownDamage() == nil)
        let names = try c.query(
            "SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint WHERE conrelid = '\(s).events'::regclass AND contype IN ('p', 'u')",
            binaryResult: false)
        #expect(names.string(0, 0) == "events_event_id_key,events_pkey,events_stream_version_key")
        try await store.close()
    }

    @Test("the readable view decodes the record: schema version, metadata, payload, hash")
    func readableViewDecodesTheRecord() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        let store = try await TestStores.open(schema: schema)
        let correlation = UUID()
        let meta = EventMetadata(correlationID: correlation, actor: "clerk", headers: ["b": "2", "a": "1"])
        try await store.append([ProposedEvent(id: UUID(), type: "T", schemaVersion: 7, effectiveTime: .now, payload: Array("{\"k\": 1}".utf8), metadata: meta)],
                               to: Fixtures.stream("person-1"))
        let stored = try #require(try await Self.readAll(store).first)
        try await store.close()
        let c = try PGConnection(try TestServer.connectionString())
        let r = try c.query(
            """
            SELECT schema_version::text, metadata->>'correlation_id', metadata->>'actor', metadata->'headers'->>'a',
                   metadata->'headers'->>'b', metadata ? 'causation_id', payload->>'k', payload_bytes::text, hash
            FROM "\(schema)".events_readable
            """, binaryResult: false)
        #expect(r.string(0, 0) == "7")
        #expect(r.string(0, 1) == correlation.uuidString.lowercased())
        #expect(r.string(0, 2) == "clerk")
        #expect(r.string(0, 3) == "1")
        #expect(r.string(0, 4) == "2")
        #expect(r.string(0, 5) == "f")
        #expect(r.string(0, 6) == "1")
        #expect(r.string(0, 7) == "8")
        #expect(r.string(0, 8) == stored.hash.bytes.map { String(format: "%02x", $0) }.joined())
    }

    @Test("a record cut short, or the record of another position, is refused with corrupt-record at its position")
    func malformedRecordsAreRefused() async throws {
        for alteration in ["cut", "swap"] {
            let schema = TestStores.newSchema()
            defer { try? TestStores.drop(schema) }
            let store = try await TestStores.open(schema: schema)
            for i in 0..<5 { try await store.append([Fixtures.event("Counted", payload: "\(i)")], to: Fixtures.stream("s-1")) }
            let c = try PGConnection(try TestServer.connectionString())
            let events = "\"\(schema)\".events"
            try c.execute("ALTER TABLE \(events) DISABLE TRIGGER events_append_only")
            if alteration == "cut" {
                try c.execute("UPDATE \(events) SET record = substring(record from 1 for octet_length(record) - 1) WHERE position = 3")
            } else {
                try c.execute("UPDATE \(events) SET record = (SELECT record FROM \(events) WHERE position = 4) WHERE position = 3")
            }
            try c.execute("ALTER TABLE \(events) ENABLE TRIGGER events_append_only")
            do {
                _ = try await store.read(from: 1, filter: .all, maxCount: 10)
                Issue.record("\(alteration): the altered row was read")
            } catch let e as EventLogError {
                #expect(e.code == .corruptRecord, "\(alteration)")
                #expect(e.position == 3, "\(alteration)")
            }
            do {
                _ = try await store.read(from: 1, filter: .category("s"), maxCount: 10)
                Issue.record("\(alteration): the altered row was read by category")
            } catch let e as EventLogError {
                #expect(e.code == .corruptRecord, "\(alteration)")
            }
            try await store.close()
        }
    }

    @Test("the COPY FROM reference loads the same rows into a table of its own and leaves the log alone")
    func copyInReference() async throws {
        try await TestStores.with { store in
            let input = (0..<3).map { b in
                (0..<20).map { p in
                    StreamAppend(stream: Fixtures.stream("person-\(p)"), expected: .any, events: Fixtures.events(2))
                }
            }
            let r = try await store.copyInReference(AsyncStream { c in for b in input { c.yield(b) }; c.finish() })
            #expect(r.rows == 120)
            #expect(r.bytes > 120 * 96)
            #expect(try await store.headPosition() == 0)
            let summary = try await store.importLog(AsyncStream { c in for b in input { c.yield(b) }; c.finish() })
            #expect(summary.events == 120)
            #expect(await LogVerifier.verify(store).intactUpTo == 120)
        }
    }

    @Test("the read checks the chain itself, in both halves of a large read: records up to an altered one, then hash-chain-broken")
    func readChecksTheChain() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        let store = try await TestStores.open(schema: schema, readers: 2)
        #expect(store.checksChainOnRead)
        for k in 0..<3 { try await store.append((0..<1000).map { _ in Fixtures.event("Counted", payload: "\(k)") }, to: Fixtures.stream("s-1")) }
        // 2049 starts the second half of a read of 4096 from 1; 2500 lies inside it.
        for altered: LogPosition in [2049, 2500] {
            try TestStores.setLastPayloadCharacter("9", schema: schema, position: altered)
            var seen: [LogPosition] = []
            do {
                for try await batch in store.readAll(batchSize: 4096) { seen += batch.events.map(\.position) }
                Issue.record("the altered row \(altered) was read")
            } catch let error as EventLogError {
                #expect(error.code == .hashChainBroken)
                #expect(error.position == altered)
            }
            #expect(seen == Array(1..<altered))
            // Put it back: the chain reads whole again.
            try TestStores.setLastPayloadCharacter("\((altered - 1) / 1000)", schema: schema, position: altered)
            #expect(await LogVerifier.verify(store).failure == nil)
        }
        try await store.close()
    }
}
