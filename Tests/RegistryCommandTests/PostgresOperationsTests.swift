import Foundation
import Testing

/// The operations conventions on the real PostgreSQL server of scripts/test (`REGISTRY_TEST_PG`): a role with
/// SELECT alone runs every view (views never migrate), `registry migrate` creates the schema, and every connection
/// carries the command's `application_name`, visible in `pg_stat_activity`. Each test works in a database of its
/// own, made and dropped with psql.
@Suite("registry on PostgreSQL: operations", .enabled(if: ProcessInfo.processInfo.environment["REGISTRY_TEST_PG"]?.hasPrefix("postgres") == true))
struct PostgresOperationsTests {
    /// The test server's URL with another database and user.
    static func url(database: String, user: String? = nil) throws -> String {
        var parts = try #require(URLComponents(string: ProcessInfo.processInfo.environment["REGISTRY_TEST_PG"]!))
        parts.path = "/" + database
        if let user { parts.user = user }
        return try #require(parts.string)
    }

    /// Runs SQL with psql as the test server's superuser; returns its unaligned output.
    @discardableResult
    static func psql(_ sql: String, database: String = "registry") throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", try url(database: database), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PSQLFailed(sql: sql) }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct PSQLFailed: Error { var sql: String }

    /// A fresh database, dropped after `body`.
    static func withDatabase(_ body: (String) throws -> Void) throws {
        let name = "ops_" + UUID().uuidString.prefix(8).lowercased()
        try psql("CREATE DATABASE \(name)")
        defer { _ = try? psql("DROP DATABASE \(name) WITH (FORCE)") }
        try body(name)
    }

    @Test("a SELECT-only role runs every view; it cannot create the schema or import")
    func readOnlyRoleRunsEveryView() throws {
        try Self.withDatabase { database in
            let dir = try TemporaryDirectory()
            try dir.write("small.jsonl", SmallLog.text)
            let owner = try Self.url(database: database)
            let role = "auditor_" + database.dropFirst(4)
            try Self.psql("CREATE ROLE \(role) LOGIN")
            defer { _ = try? Self.psql("DROP OWNED BY \(role) CASCADE; DROP ROLE \(role)", database: database) }
            let auditor = try Self.url(database: database, user: role)

            // Before any writer: no schema, and a reader creates none.
            let early = try dir.registry("coverage", "--store", auditor)
            #expect(early.status == 66, "EX_NOINPUT: \(early)")
            #expect(try Self.psql("SELECT count(*) FROM pg_namespace WHERE nspname = 'event_log'", database: database) == "0")

            let migrated = try dir.registry("migrate", "--store", owner)
            #expect(migrated.status == 0, "\(migrated)")
            #expect(migrated.stdout.hasPrefix("store ready at "))
            #expect(try dir.registry("import", "--store", owner, "small.jsonl").status == 65)
            try Self.psql("GRANT USAGE ON SCHEMA event_log TO \(role); GRANT SELECT ON ALL TABLES IN SCHEMA event_log TO \(role)", database: database)

            for view in [["coverage"], ["worklist"], ["ledger"], ["stats"], ["verify"], ["replay"], ["export"],
                         ["history", "120101198503170024"], ["explain", "120101198503170024"]] {
                let result = try dir.registry(arguments: [view[0], "--store", auditor] + view.dropFirst())
                #expect(result.status == 0, "\(view[0]) as a SELECT-only role: \(result)")
            }
            let refused = try dir.registry("import", "--store", auditor, "small.jsonl")
            #expect(refused.status == 77, "EX_NOPERM: \(refused)")
        }
    }

    @Test("every connection of a command carries its application_name (pg_stat_activity)")
    func applicationNameInPgStatActivity() throws {
        try Self.withDatabase { database in
            let dir = try TemporaryDirectory()
            let store = try Self.url(database: database)
            // An import holds its connection while it waits for standard input.
            let importer = Process()
            importer.executableURL = URL(fileURLWithPath: try RegistryTool.executable())
            importer.arguments = ["import", "--store", store, "-"]
            importer.currentDirectoryURL = dir.url
            let input = Pipe()
            importer.standardInput = input
            importer.standardOutput = FileHandle.nullDevice
            importer.standardError = FileHandle.nullDevice
            try importer.run()
            var names = ""
            for _ in 0..<200 {
                names = try Self.psql(
                    "SELECT string_agg(DISTINCT application_name, ',') FROM pg_stat_activity WHERE datname = '\(database)'")
                if names.contains("registry-import") { break }
                Thread.sleep(forTimeInterval: 0.05)
            }
            try input.fileHandleForWriting.close()
            importer.waitUntilExit()
            #expect(names == "registry-import", "application names seen: \(names)")
            #expect(importer.terminationStatus == 0)
        }
    }
}
