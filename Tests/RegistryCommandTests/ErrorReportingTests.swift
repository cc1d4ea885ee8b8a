import Testing

/// Every failure is one line on standard error with a non-zero exit status, and no personal data.
@Suite("registry errors")
struct ErrorReportingTests {
    @Test func missingStore() throws {
        let dir = try TemporaryDirectory()
        for command in ["coverage", "worklist", "ledger", "stats", "verify", "replay", "export"] {
            let result = try dir.registry(command, "--store", "nowhere")
            #expect(result.status == 66, "EX_NOINPUT: \(command)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "registry: error: no store found (nowhere); give --store (or REGISTRY_STORE) a store directory or a PostgreSQL connection string, or create one with `registry import` or `registry demo`\n")
        }
    }

    @Test func unreachablePostgreSQLHidesThePassword() throws {
        let dir = try TemporaryDirectory()
        let result = try dir.registry("coverage", "--store", "postgresql://ops:s3cret@127.0.0.1:1/registry?connect_timeout=2")
        #expect(result.status == 69, "EX_UNAVAILABLE")
        #expect(result.stderr.hasPrefix("registry: error: the PostgreSQL server cannot be reached: unavailable: "))
        #expect(result.stderr.contains("(postgresql://ops:***@127.0.0.1:1/registry)"))
        #expect(!result.stderr.contains("s3cret"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func usageErrorsAreArgumentParsers() throws {
        let dir = try TemporaryDirectory()
        let result = try dir.registry("coverage", "--level", "galaxy")
        #expect(result.status == 64)
        #expect(!result.stderr.contains("Fatal"))
    }
}
