import EventLog
import Foundation
import Testing
@testable import PostgresStore

/// The views' snapshots in the database (`view_snapshot`, schema version 3): kept in parts, replaced whole in one
/// transaction, readable by a read-only store, refused politely to a role that may not write them.
@Suite("PostgresEventStore: the views' snapshots in the database", .serialized)
struct PostgresEventStoreSnapshotTests {
    /// Deterministic bytes, different for each seed.
    static func bytes(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &* 7 &+ ($0 >> 8)) }
    }

    /// Saves `data` as three pieces, in parts of `partSize`, on a connection of its own.
    static func save(
        _ data: [UInt8], schema: String, position: LogPosition, partSize: Int, on c: PGConnection? = nil,
        failAfterFirstPiece: Bool = false
    ) throws -> PostgresEventStore.SnapshotSaving {
        let connection = try c ?? PGConnection(try TestServer.connectionString())
        return try PostgresEventStore.saveSnapshot(
            on: connection, table: "\"\(schema)\".view_snapshot", lockName: "test.\(schema)", projection: "registry",
            basis: "residence", position: position, partSize: partSize
        ) { write in
            try data.withUnsafeBytes { raw in
                let a = raw.count / 3, b = 2 * raw.count / 3
                if failAfterFirstPiece {
                    try write([UnsafeRawBufferPointer(rebasing: raw[..<a])])
                    throw EventLogError(.ioFailure, "the producer failed mid-way")
                }
                try write([UnsafeRawBufferPointer(rebasing: raw[..<a]), UnsafeRawBufferPointer(rebasing: raw[a..<b]),
                           UnsafeRawBufferPointer(rebasing: raw[b...])])
            }
        }
    }

    static func parts(_ schema: String) throws -> Int64 {
        let c = try PGConnection(try TestServer.connectionString())
        return try c.query("SELECT count(*)::int8 FROM \"\(schema)\".view_snapshot").int64(0, 0)
    }

    @Test("a snapshot is kept in parts and read back byte for byte; a new one replaces it whole; none is nil")
    func roundTripInParts() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        let store = try await TestStores.open(schema: schema)
        #expect(try await store.loadSnapshot(projection: "registry", basis: "residence") == nil)
        let first = Self.bytes(10_007, seed: 1)
        #expect(try Self.save(first, schema: schema, position: 12, partSize: 3_000) == .saved)
        #expect(try Self.parts(schema) == 4)
        #expect(try await store.loadSnapshot(projection: "registry", basis: "residence") == first)
        #expect(try await store.loadSnapshot(projection: "registry", basis: "hukou") == nil, "keyed by basis")
        // Through the store's own call (parts of 64 MiB: one row).
        let second = Self.bytes(5_000, seed: 2)
        let outcome = try await store.saveSnapshot(projection: "registry", basis: "residence", position: 40) { write in
            try second.withUnsafeBytes { try write([$0]) }
        }
        #expect(outcome == .saved)
        #expect(try Self.parts(schema) == 1, "the old parts are gone")
        #expect(try await store.loadSnapshot(projection: "registry", basis: "residence") == second)
        // A read-only store reads it.
        let reader = try await TestStores.open(schema: schema, access: .readOnly)
        #expect(try await reader.loadSnapshot(projection: "registry", basis: "residence") == second)
        try await reader.close()
        try await store.close()
    }

    @Test("a save that fails mid-way (after some bytes went to the server) leaves the previous snapshot whole")
    func failedSaveKeepsThePrevious() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        let store = try await TestStores.open(schema: schema)
        let kept = Self.bytes(9_000, seed: 3)
        #expect(try Self.save(kept, schema: schema, position: 5, partSize: 2_000) == .saved)
        let c = try PGConnection(try TestServer.connectionString())
        #expect(throws: EventLogError.self) {
            try Self.save(Self.bytes(12_000, seed: 4), schema: schema, position: 9, partSize: 2_000, on: c, failAfterFirstPiece: true)
        }
        #expect(try c.query("SELECT 1").rowCount == 1, "the connection is usable: its transaction was rolled back")
        #expect(try await store.loadSnapshot(projection: "registry", basis: "residence") == kept)
        #expect(try Self.parts(schema) == 5)
        try await store.close()
    }

    @Test("a part missing, or parts of two positions, are refused as corrupt, never returned")
    func missingPartRefused() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        let store = try await TestStores.open(schema: schema)
        #expect(try Self.save(Self.bytes(9_000, seed: 5), schema: schema, position: 5, partSize: 2_000) == .saved)
        let c = try PGConnection(try TestServer.connectionString())
        try c.execute("UPDATE \"\(schema)\".view_snapshot SET position = 6 WHERE part = 4")
        await #expect(throws: EventLogError.self) { _ = try await store.loadSnapshot(projection: "registry", basis: "residence") }
        try c.execute("DELETE FROM \"\(schema)\".view_snapshot WHERE part = 2")
        do {
            _ = try await store.loadSnapshot(projection: "registry", basis: "residence")
            Issue.record("a snapshot with a part missing was returned")
        } catch let error as EventLogError {
            #expect(error.code == .corruptRecord)
        }
        try await store.close()
    }

    @Test("a role that may only read, a read-only transaction, another saver at work: not saved, nothing changed")
    func notPermittedOrBusy() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        let store = try await TestStores.open(schema: schema)
        let kept = Self.bytes(4_000, seed: 6)
        #expect(try Self.save(kept, schema: schema, position: 3, partSize: 1_000) == .saved)
        let role = "reader_" + schema.dropFirst(2)
        let admin = try PGConnection(try TestServer.connectionString())
        try admin.execute("CREATE ROLE \(role); GRANT USAGE ON SCHEMA \"\(schema)\" TO \(role); GRANT SELECT ON ALL TABLES IN SCHEMA \"\(schema)\" TO \(role)")
        defer { _ = try? admin.execute("DROP OWNED BY \(role) CASCADE; DROP ROLE \(role)") }

        let c = try PGConnection(try TestServer.connectionString())
        try c.execute("SET ROLE \(role)")
        let refused = try Self.save(Self.bytes(100, seed: 7), schema: schema, position: 4, partSize: 1_000, on: c)
        guard case .notPermitted(let reason) = refused else { Issue.record("saved by a SELECT-only role: \(refused)"); return }
        #expect(reason.contains("may not write"))
        let readOnly = try PGConnection(try TestServer.connectionString())
        try readOnly.execute("SET default_transaction_read_only = on")
        guard case .notPermitted = try Self.save(Self.bytes(100, seed: 7), schema: schema, position: 4, partSize: 1_000, on: readOnly) else {
            Issue.record("saved in a read-only transaction"); return
        }
        let holder = try PGConnection(try TestServer.connectionString())
        try holder.execute("BEGIN; SELECT pg_advisory_xact_lock(hashtext('test.\(schema)'))")
        #expect(try Self.save(Self.bytes(100, seed: 8), schema: schema, position: 4, partSize: 1_000) == .busy)
        try holder.execute("ROLLBACK")
        #expect(try await store.loadSnapshot(projection: "registry", basis: "residence") == kept)
        try await store.close()
    }

    @Test("a version 2 schema is read as it is (no snapshot, none saved) and a writer migrates it to version 3")
    func version2() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        var store = try await TestStores.open(schema: schema)
        try await store.append([Fixtures.event()], to: Fixtures.stream("person-1"))
        try await store.close()
        let c = try PGConnection(try TestServer.connectionString())
        try c.execute("DROP TABLE \"\(schema)\".view_snapshot; UPDATE \"\(schema)\".schema_version SET version = 2 WHERE version = 3")
        store = try await TestStores.open(schema: schema, access: .readOnly)
        #expect(try await store.headPosition() == 1)
        #expect(try await store.loadSnapshot(projection: "registry", basis: "residence") == nil)
        let outcome = try await store.saveSnapshot(projection: "registry", basis: "residence", position: 1) { write in try write([]) }
        guard case .notPermitted(let reason) = outcome else { Issue.record("saved without a table: \(outcome)"); return }
        #expect(reason.contains("registry migrate"))
        try await store.close()
        store = try await TestStores.open(schema: schema)
        let versions = try c.query("SELECT string_agg(version::text, ',' ORDER BY version) FROM \"\(schema)\".schema_version", binaryResult: false)
        #expect(versions.string(0, 0) == "2,3")
        let three: [UInt8] = [1, 2, 3]
        #expect(try await store.saveSnapshot(projection: "registry", basis: "residence", position: 1) { write in try three.withUnsafeBytes { try write([$0]) } } == .saved)
        #expect(try await store.loadSnapshot(projection: "registry", basis: "residence") == three)
        try await store.close()
    }

    @Test("projection and basis names are held to a-z, 0-9, _ and - (they are spliced into a COPY)")
    func names() async throws {
        try await TestStores.with { store in
            for bad in ["", "Registry", "a'b", "a b", String(repeating: "a", count: 65)] {
                await #expect(throws: EventLogError.self) { _ = try await store.loadSnapshot(projection: bad, basis: "residence") }
                await #expect(throws: EventLogError.self) { _ = try await store.loadSnapshot(projection: "registry", basis: bad) }
            }
        }
    }
}
