import Foundation
import Testing

/// A PostgreSQL role without any right on the store (no USAGE on its schema, no SELECT): every command is refused
/// in one line with EX_NOPERM and nothing is appended. On the server of `scripts/test` (`REGISTRY_TEST_PG`), in a
/// database of its own.
@Suite("Resource faults: a PostgreSQL role without rights", .enabled(if: ProcessInfo.processInfo.environment["REGISTRY_TEST_PG"]?.hasPrefix("postgres") == true))
struct PostgresRoleFaultTests {
    @Test("a role with no rights: import, coverage, verify and export refused in one line (EX_NOPERM); nothing appended")
    func roleWithoutRights() throws {
        try PostgresOperationsTests.withDatabase { database in
            let dir = try TemporaryDirectory()
            try dir.write("small.jsonl", SmallLog.text)
            let owner = try PostgresOperationsTests.url(database: database)
            #expect(try dir.registry("import", "--store", owner, "small.jsonl").status == 65)  // two bad lines in SmallLog
            let head = try PostgresOperationsTests.psql("SELECT count(*) FROM event_log.events", database: database)
            let role = "nobody_" + database.dropFirst(4)
            try PostgresOperationsTests.psql("CREATE ROLE \(role) LOGIN")
            defer { _ = try? PostgresOperationsTests.psql("DROP OWNED BY \(role) CASCADE; DROP ROLE \(role)", database: database) }
            let stranger = try PostgresOperationsTests.url(database: database, user: role)
            for command in [["import", "small.jsonl"], ["coverage"], ["verify"], ["export"], ["migrate"]] {
                let result = try dir.registry(arguments: [command[0], "--store", stranger] + command.dropFirst())
                ResourceFaultTests.expectOneLine(result, status: 77, "\(command[0]) as a role without rights")
                #expect(result.stderr.contains("permission denied"), "\(result)")
            }
            #expect(try PostgresOperationsTests.psql("SELECT count(*) FROM event_log.events", database: database) == head)
        }
    }
}
