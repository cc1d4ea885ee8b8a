import Foundation
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

    @Test("a backend ended right after its startup: one error line, libpq's FATAL notice never printed")
    func backendEndedAtStartupIsOneLine() throws {
        let dir = try TemporaryDirectory()
        let server = try ScriptedPostgresServer(reply: ScriptedPostgresServer.terminatedAfterStartup)
        let result = try withExtendedLifetime(server) {
            try dir.registry("coverage", "--store", "postgresql://ops@127.0.0.1:\(server.port)/registry?sslmode=disable&gssencmode=disable&connect_timeout=5")
        }
        #expect(result.status == 69, "EX_UNAVAILABLE: \(result)")
        #expect(!result.stderr.contains("FATAL"), "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.hasPrefix("registry: error: the PostgreSQL server cannot be reached"), "\(result)")
    }

    @Test("a server that accepts and never answers: connect_timeout ends the wait with one error line")
    func silentServerTimesOut() throws {
        let dir = try TemporaryDirectory()
        let server = try ScriptedPostgresServer(reply: nil)
        let started = Date()
        let result = try withExtendedLifetime(server) {
            try dir.registry("coverage", "--store", "postgresql://ops@127.0.0.1:\(server.port)/registry?sslmode=disable&gssencmode=disable&connect_timeout=2")
        }
        #expect(Date().timeIntervalSince(started) < 60, "the connect must give up, not hang")
        #expect(result.status == 69, "EX_UNAVAILABLE: \(result)")
        #expect(result.stderr.contains("timeout expired") && result.stderr.split(separator: "\n").count == 1, "\(result)")
    }

    @Test func usageErrorsAreArgumentParsers() throws {
        let dir = try TemporaryDirectory()
        let result = try dir.registry("coverage", "--level", "galaxy")
        #expect(result.status == 64)
        #expect(!result.stderr.contains("Fatal"))
    }
}
