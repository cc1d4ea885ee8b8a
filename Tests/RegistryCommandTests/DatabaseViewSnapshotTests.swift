import Foundation
import Testing

/// The views' snapshot in a PostgreSQL store's database (`event_log.view_snapshot`), on the real server of
/// scripts/test (`REGISTRY_TEST_PG`), each test in a database of its own: a view from it equals a full replay, one
/// behind the log folds the tail, one that does not fit is refused with a note and rebuilt, and a role that may only
/// read uses it without saving.
@Suite("views' snapshot in PostgreSQL", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["REGISTRY_TEST_PG"]?.hasPrefix("postgres") == true))
struct DatabaseViewSnapshotTests {
    typealias Ops = PostgresOperationsTests

    /// A database holding SmallLog (its two bad lines refused) and `persons` random persons more.
    static func store(_ database: String, _ dir: TemporaryDirectory, persons: Int, seed: UInt64) throws -> String {
        let url = try Ops.url(database: database)
        _ = try dir.write("small.jsonl", SmallLog.text)
        #expect(try dir.registry("import", "--store", url, "small.jsonl").status == 65)
        if persons > 0 { try importPersons(persons, from: 100, seed: seed, into: url, dir) }
        return url
    }

    static func importPersons(_ persons: Int, from first: Int, seed: UInt64, into url: String, _ dir: TemporaryDirectory) throws {
        var rng = ViewSnapshotTests.Seeded(state: seed)
        let name = "persons-\(seed)-\(first).jsonl"
        _ = try dir.write(name, ViewSnapshotTests.lines(&rng, persons: persons, from: first))
        let imported = try dir.registry("import", "--store", url, name)
        #expect(imported.status == 0, "\(imported)")
    }

    /// The snapshot's position (its parts all carry it), nil when there is none.
    static func snapshotPosition(_ database: String, basis: String = "residence") throws -> Int? {
        Int(try Ops.psql("SELECT min(position) FROM event_log.view_snapshot WHERE projection = 'registry' AND basis = '\(basis)'", database: database))
    }

    static func head(_ database: String) throws -> Int {
        try #require(Int(try Ops.psql("SELECT last_position FROM event_log.head", database: database)))
    }

    /// Copies the snapshot rows of one database into another (replacing its own) through a client-side file.
    static func copySnapshot(from source: String, to target: String, _ dir: TemporaryDirectory, basisAs: String? = nil) throws {
        let file = dir.url.appendingPathComponent("snapshot-\(UUID().uuidString).copy").path
        try Ops.psql("\\copy event_log.view_snapshot TO '\(file)' (FORMAT binary)", database: source)
        try Ops.psql("DELETE FROM event_log.view_snapshot", database: target)
        try Ops.psql("\\copy event_log.view_snapshot FROM '\(file)' (FORMAT binary)", database: target)
        if let basisAs { try Ops.psql("UPDATE event_log.view_snapshot SET basis = '\(basisAs)'", database: target) }
    }

    /// The view from the snapshot has a note saying it was not used, and equals a full replay.
    static func expectRefused(_ dir: TemporaryDirectory, _ url: String, basis: String = "residence", _ what: String) throws {
        let used = try dir.registry("coverage", "--store", url, "--basis", basis, "--format", "csv")
        #expect(used.status == 0, "\(what): \(used)")
        #expect(used.stderr.contains("snapshot is not used"), "\(what): \(used)")
        #expect(used.stderr.split(separator: "\n").count == 1, "one line: \(used.stderr)")
        #expect(used.stdout == (try dir.registry("coverage", "--store", url, "--basis", basis, "--format", "csv", "--no-snapshot")).stdout, "\(what)")
    }

    @Test("a view from the database's snapshot equals a full replay, after each of several random imports")
    func equalsFullReplay() throws {
        try Ops.withDatabase { database in
            let dir = try TemporaryDirectory()
            let url = try Self.store(database, dir, persons: 0, seed: 1)
            #expect(try Self.snapshotPosition(database) == nil)
            for round in 0..<3 {
                try ViewSnapshotTests.expectSame(dir, store: url)
                #expect(try Self.snapshotPosition(database) == (try Self.head(database)), "saved at the head after round \(round)")
                try Self.importPersons(15 + 10 * round, from: 100 * (round + 1), seed: 20_261_130 + UInt64(round), into: url, dir)
            }
            try ViewSnapshotTests.expectSame(dir, store: url)
            try ViewSnapshotTests.expectSame(dir, basis: "hukou", store: url)
            #expect(try Self.snapshotPosition(database, basis: "hukou") == (try Self.head(database)))
        }
    }

    @Test("a snapshot behind the log (a crash between the log and the snapshot) is used and the tail folded on top")
    func behindTheLog() throws {
        try Ops.withDatabase { database in
            let dir = try TemporaryDirectory()
            let url = try Self.store(database, dir, persons: 300, seed: 2)
            #expect(try dir.registry("coverage", "--store", url).status == 0)
            let old = try #require(try Self.snapshotPosition(database))
            try Ops.psql("CREATE TABLE public.kept AS SELECT * FROM event_log.view_snapshot", database: database)
            // A small tail (under a hundredth of the log): folded, the snapshot left as it is.
            try Self.importPersons(1, from: 900, seed: 3, into: url, dir)
            try ViewSnapshotTests.expectSame(dir, store: url)
            #expect(try Self.snapshotPosition(database) == old)
            // A large tail: folded and saved.
            try Self.importPersons(60, from: 1000, seed: 4, into: url, dir)
            try ViewSnapshotTests.expectSame(dir, store: url)
            #expect(try Self.snapshotPosition(database) == (try Self.head(database)))
            // The process that imported died before it saved the views: the old snapshot, well behind the log.
            try Ops.psql("DELETE FROM event_log.view_snapshot; INSERT INTO event_log.view_snapshot SELECT * FROM public.kept", database: database)
            #expect(try Self.snapshotPosition(database) == old)
            let view = try dir.registry("coverage", "--store", url, "--format", "csv")
            #expect(view.stderr.isEmpty, "the old snapshot fits: \(view)")
            #expect(view.stdout == (try dir.registry("coverage", "--store", url, "--format", "csv", "--no-snapshot")).stdout)
            #expect(try Self.snapshotPosition(database) == (try Self.head(database)), "brought up to date and saved")
        }
    }

    @Test("a snapshot of another store, of other settings, ahead of the log or damaged is refused with a note and rebuilt")
    func refused() throws {
        try Ops.withDatabase { small in
            try Ops.withDatabase { large in
                let dir = try TemporaryDirectory()
                let smallURL = try Self.store(small, dir, persons: 10, seed: 5)
                let largeURL = try Self.store(large, dir, persons: 60, seed: 6)
                #expect(try dir.registry("coverage", "--store", smallURL).status == 0)
                #expect(try dir.registry("coverage", "--store", largeURL).status == 0)

                // Another store: the small store's snapshot (its position within the large log) in the large one.
                try Self.copySnapshot(from: small, to: large, dir)
                try Self.expectRefused(dir, largeURL, "another store")
                try ViewSnapshotTests.expectSame(dir, store: largeURL)  // rebuilt and saved: it fits now

                // Ahead of the log: the large store's snapshot in the small one (a backup put back, say).
                try Self.copySnapshot(from: large, to: small, dir)
                try Self.expectRefused(dir, smallURL, "ahead of the log")
                try ViewSnapshotTests.expectSame(dir, store: smallURL)

                // Other settings: the residence snapshot under the hukou key.
                try Ops.psql("INSERT INTO event_log.view_snapshot (projection, basis, part, position, bytes) SELECT projection, 'hukou', part, position, bytes FROM event_log.view_snapshot WHERE basis = 'residence'", database: small)
                try Self.expectRefused(dir, smallURL, basis: "hukou", "other settings")
                try ViewSnapshotTests.expectSame(dir, basis: "hukou", store: smallURL)

                // Damaged: one byte of the state changed behind the store's back (the CRC tells).
                try Ops.psql("UPDATE event_log.view_snapshot SET bytes = set_byte(bytes, 200, (get_byte(bytes, 200) + 1) % 256) WHERE basis = 'residence'", database: small)
                try Self.expectRefused(dir, smallURL, "damaged")
                try ViewSnapshotTests.expectSame(dir, store: smallURL)
            }
        }
    }

    @Test("a role that may only read the store uses the snapshot without saving it (one note); one that may not read it replays")
    func readOnlyRole() throws {
        try Ops.withDatabase { database in
            let dir = try TemporaryDirectory()
            let owner = try Self.store(database, dir, persons: 100, seed: 7)
            let role = "auditor_" + database.dropFirst(4)
            try Ops.psql("CREATE ROLE \(role) LOGIN")
            defer { _ = try? Ops.psql("DROP OWNED BY \(role) CASCADE; DROP ROLE \(role)", database: database) }
            try Ops.psql("GRANT USAGE ON SCHEMA event_log TO \(role); GRANT SELECT ON ALL TABLES IN SCHEMA event_log TO \(role)", database: database)
            let auditor = try Ops.url(database: database, user: role)
            let full = try dir.registry("coverage", "--store", owner, "--format", "csv", "--no-snapshot").stdout

            // No snapshot yet: the auditor replays, and may not save.
            let first = try dir.registry("coverage", "--store", auditor, "--format", "csv")
            #expect(first.status == 0, "\(first)")
            #expect(first.stdout == full)
            #expect(first.stderr.split(separator: "\n").count == 1, "one note: \(first.stderr)")
            #expect(first.stderr.contains("snapshot is not saved") && first.stderr.contains("may not write"), "\(first)")
            #expect(!first.stderr.contains(auditor) && !first.stderr.contains("127.0.0.1"), "no connection details: \(first)")
            #expect(try Self.snapshotPosition(database) == nil)

            // The owner's view saves it; the auditor then uses it, silently (nothing to save).
            #expect(try dir.registry("coverage", "--store", owner).status == 0)
            let saved = try #require(try Self.snapshotPosition(database))
            let used = try dir.registry("coverage", "--store", auditor, "--format", "csv")
            #expect(used.stdout == full)
            #expect(used.stderr.isEmpty, "\(used)")

            // After a large import the auditor folds the tail on top of it, and may not save it: one note.
            try Self.importPersons(40, from: 1000, seed: 8, into: owner, dir)
            let later = try dir.registry("coverage", "--store", auditor, "--format", "csv")
            #expect(later.stdout == (try dir.registry("coverage", "--store", owner, "--format", "csv", "--no-snapshot")).stdout)
            #expect(later.stderr.split(separator: "\n").count == 1 && later.stderr.contains("not saved"), "\(later)")
            #expect(try Self.snapshotPosition(database) == saved, "left as it was")

            // A role that may read the log but not the snapshot table: replays, one note.
            try Ops.psql("REVOKE SELECT ON event_log.view_snapshot FROM \(role)", database: database)
            let blind = try dir.registry("coverage", "--store", auditor, "--format", "csv")
            #expect(blind.status == 0, "\(blind)")
            #expect(blind.stdout == later.stdout)
            #expect(blind.stderr.split(separator: "\n").count == 1 && blind.stderr.contains("could not be read"), "\(blind)")
        }
    }
}
