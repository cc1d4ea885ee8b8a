import Foundation
import Testing

/// The PostgreSQL path end to end, when `REGISTRY_TEST_PG` names a server by a `postgresql://` URL, as scripts/test
/// (README's test command, and CI) always does (give an empty
/// database of its own: the log goes to its `event_log` schema). The server harness of PostgresStoreTests lives in
/// that test target and cannot be shared without a package change, so this suite starts no server itself.
@Suite("registry on PostgreSQL", .enabled(if: ProcessInfo.processInfo.environment["REGISTRY_TEST_PG"]?.hasPrefix("postgres") == true))
struct PostgresStoreSmokeTests {
    @Test func importViewAndVerify() throws {
        let url = ProcessInfo.processInfo.environment["REGISTRY_TEST_PG"]!
        let dir = try TemporaryDirectory()
        try dir.write("small.jsonl", SmallLog.text)
        let imported = try dir.registry("import", "--store", url, "small.jsonl")
        #expect(imported.stdout.hasPrefix("Imported small.jsonl: "), "\(imported)")
        let coverage = try dir.registry("coverage", "--store", url, "--totals", "--format", "csv", "--as-of", "2024-06-30")
        #expect(coverage.status == 0, "\(coverage)")
        #expect(coverage.lines.last?.hasPrefix("120101,all,3,3,3,2,1,1,") == true)
        let verify = try dir.registry("verify", "--store", url)
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("intact up to "))
    }
}
