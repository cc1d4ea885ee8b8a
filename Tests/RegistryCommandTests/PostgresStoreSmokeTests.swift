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
        // The employer and target views on PostgreSQL: A is enrolled through 91350100M000100Y43 (pension, medical).
        let employers = try dir.registry("employers", "--store", url, "--format", "csv")
        #expect(employers.lines.last == "91350100M000100Y43,,unknown,no,no,1,0,1,1,1,0,0,0,0,1,100.0", "\(employers)")
        try dir.write("targets.jsonl", #"{"actor":"bureau:1201","data":{"area":"120101","from":"2024-01","insuranceType":"employeePension","kind":"contributors","to":"2024-12","value":2},"effective":"2024-01-01","id":"6F1C1E64-2B7A-4A43-9A51-000000000900","stream":"target-120101","type":"TargetSet","version":1}"# + "\n")
        #expect(try dir.registry("import", "--store", url, "targets.jsonl").status == 0)
        let plan = try dir.registry("progress", "--store", url, "--plan", "employeePension", "--format", "csv", "--as-of", "2024-06-30")
        #expect(plan.lines == ["area,contributors,plan,completion_percent", "total,1,2,50.0", "120101,1,2,50.0"], "\(plan)")
        let verify = try dir.registry("verify", "--store", url)
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("intact up to "))
    }
}
