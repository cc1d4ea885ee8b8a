import FuzzSupport
import Foundation
import Glibc
import Testing

/// The crash harness on PostgreSQL: the built `registry import` into a PostgreSQL store, its server backend killed
/// (`pg_terminate_backend` from another connection) or the whole server stopped in immediate mode (no checkpoint:
/// recovery replays the WAL) and restarted, at seeded moments of the import. Afterwards: the import ended with one
/// error line (or finished before the fault, with every line in the store); `registry verify` exits 0; the store
/// holds only input lines, each once; the same import re-run reports `K accepted, N−K already present, 0 rejected`
/// and the store then holds the N lines once. Needs the server of `scripts/test` (`REGISTRY_TEST_PG`); the immediate
/// stops use a second, private server started with `scripts/pg-server.sh`, so that the shared one is never stopped.
/// Long run: `scripts/torture pgcrash`.
@Suite("Crash harness: PostgreSQL backend killed, server crashed", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["REGISTRY_TEST_PG"]?.hasPrefix("postgres") == true))
struct PostgresCrashHarnessTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs SQL with psql on a server URL; returns its unaligned output.
    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PostgresOperationsTests.PSQLFailed(sql: sql) }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs scripts/pg-server.sh; returns its output.
    ///
    /// Through `system(3)`, not `Process`: the server it starts inherits the script's descriptors, and Foundation's
    /// `Process` on Linux then never sees the script end (`waitUntilExit` waits as long as the server runs).
    @discardableResult
    static func pgServer(_ command: String, _ dir: String) throws -> String {
        let outPath = NSTemporaryDirectory() + "/pg-server-\(UUID().uuidString).out"
        defer { unlink(outPath) }
        let script = packageRoot.appendingPathComponent("scripts/pg-server.sh").path
        let status = system("'\(script)' \(command) '\(dir)' >'\(outPath)' 2>/dev/null </dev/null")
        guard status == 0 else { throw PostgresOperationsTests.PSQLFailed(sql: "pg-server.sh \(command) (status \(status))") }
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }

    /// A server's URL for a database.
    static func url(port: Int, database: String) -> String { "postgresql://postgres@127.0.0.1:\(port)/\(database)" }

    /// The store after a fault: verifies, holds only input lines, each once. Returns the lines.
    static func check(_ dir: TemporaryDirectory, store: String, input: Set<String>, trial: Int) throws -> [String] {
        let verify = try dir.registry("verify", "--store", store)
        #expect(verify.status == 0, "trial \(trial): verify after the fault: \(verify)")
        try? FileManager.default.removeItem(at: dir.url.appendingPathComponent("present.jsonl"))
        let export = try dir.registry("export", "--store", store, "-o", "present.jsonl")
        #expect(export.status == 0, "trial \(trial): export after the fault: \(export)")
        let present = try CrashHarnessTests.lines(of: dir.url.appendingPathComponent("present.jsonl"))
        #expect(Set(present).count == present.count, "trial \(trial): a line is in the store twice")
        #expect(present.allSatisfy(input.contains), "trial \(trial): records in the store are not input lines")
        return present
    }

    struct Figures: CustomStringConvertible {
        var faults = 0, finishedBeforeFault = 0, partialStores = 0, linesFound = 0
        var seconds = 0.0
        var description: String {
            "\(faults) faults (\(finishedBeforeFault) imports finished first), \(partialStores) partial stores, \(linesFound) lines found after faults, all re-run to completion, \(String(format: "%.1f", seconds)) s"
        }
    }

    /// Imports killed by `fault` at seeded moments; each in a fresh database made by `create`.
    static func run(trials: Int, seed: UInt64, create: (String) throws -> String, fault: () throws -> Void, after: () throws -> Void) throws -> Figures {
        let started = Date()
        let dir = try TemporaryDirectory()
        let input = try CrashHarnessTests.makeInput(in: dir, persons: 60, seed: seed)
        let inputSet = Set(input)
        var random = Mutator(seed: seed)
        var figures = Figures()
        let timedStore = try create("timed")
        let timed = Date()
        let first = try dir.registry("import", "--store", timedStore, "--batch-size", "16", "input.jsonl")
        let duration = Date().timeIntervalSince(timed)
        #expect(first.status == 0, "\(first)")
        for trial in 0..<trials {
            let store = try create("trial\(trial)")
            let batch = [1, 16, 64, 256].randomElement(using: &random)!
            let process = try CrashHarnessTests.start(["import", "--store", store, "--batch-size", "\(batch)", "input.jsonl"], in: dir, output: "import.out")
            usleep(useconds_t(Double.random(in: 0.05...(duration * 0.9), using: &random) * 1_000_000))
            try fault()
            process.waitUntilExit()
            try after()
            figures.faults += 1
            let out = try String(contentsOf: dir.url.appendingPathComponent("import.out"), encoding: .utf8)
            let err = try String(contentsOf: dir.url.appendingPathComponent("import.out.err"), encoding: .utf8)
            let present = try check(dir, store: store, input: inputSet, trial: trial)
            figures.linesFound += present.count
            if process.terminationStatus == 0 {
                figures.finishedBeforeFault += 1
                #expect(out.hasPrefix("Imported input.jsonl: \(input.count) accepted"), "trial \(trial): \(out)")
                #expect(Set(present) == inputSet, "trial \(trial): the import finished but lines are missing")
            } else {
                if !present.isEmpty { figures.partialStores += 1 }
                #expect(process.terminationReason == .exit && [69, 75].contains(process.terminationStatus), "trial \(trial): exit \(process.terminationStatus): \(err)")
                // One error line, after the line saying what the import had committed when it had committed something:
                // never more than the store holds (a batch the server committed as the connection died may be there
                // unreported, never the other way).
                let lines = err.split(separator: "\n")
                #expect(out.isEmpty && (1...2).contains(lines.count) && lines.last?.hasPrefix("registry: error: ") == true, "trial \(trial): not one error line: \(out) \(err)")
                if lines.count == 2 {
                    let accepted = lines[0].firstMatch(of: #/^registry: import of input\.jsonl stopped part-way: before the failure, ([0-9]+) accepted, 0 already present, 0 rejected; /#)?.output.1
                    #expect(accepted.flatMap { Int($0) }.map { $0 <= present.count } == true, "trial \(trial): \(present.count) lines in the store: \(err)")
                }
            }
            let rerun = try dir.registry("import", "--store", store, "input.jsonl")
            #expect(rerun.status == 0 && rerun.stdout.hasPrefix("Imported input.jsonl: \(input.count - present.count) accepted, \(present.count) already present, 0 rejected"),
                    "trial \(trial): re-run: \(rerun)")
            let all = try check(dir, store: store, input: inputSet, trial: trial)
            #expect(all.count == input.count, "trial \(trial): after the re-run the store holds \(all.count) of \(input.count) lines")
        }
        figures.seconds = Date().timeIntervalSince(started)
        return figures
    }

    @Test("an importer's backend killed mid-import: the store verifies, holds what was committed once, a re-run completes")
    func backendKilled() throws {
        let server = try #require(URLComponents(string: ProcessInfo.processInfo.environment["REGISTRY_TEST_PG"]!))
        let port = try #require(server.port)
        let admin = Self.url(port: port, database: "registry")
        var databases: [String] = []
        defer { for d in databases { _ = try? Self.psql(admin, "DROP DATABASE \(d) WITH (FORCE)") } }
        let prefix = "crash_" + UUID().uuidString.prefix(8).lowercased()
        let figures = try Self.run(
            trials: Mutator.size(default: 6), seed: Mutator.seed,
            create: { name in
                let database = "\(prefix)_\(name)"
                try Self.psql(admin, "CREATE DATABASE \(database)")
                databases.append(database)
                return Self.url(port: port, database: database)
            },
            fault: {
                try Self.psql(admin, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '\(databases.last!)' AND application_name = 'registry-import'")
            },
            after: {})
        print("crash postgres backend: \(figures), seed \(Mutator.seed)")
    }

    @Test("the server stopped in immediate mode mid-import and restarted: the store verifies, a re-run completes")
    func serverCrashed() throws {
        let serverDir = FileManager.default.temporaryDirectory.appendingPathComponent("registry-crash-pg-\(UUID().uuidString.prefix(8))").path
        let started = try Self.pgServer("start", serverDir)
        defer { _ = try? Self.pgServer("stop", serverDir) }
        let port = try #require(started.split(separator: "port=").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) })
        let admin = Self.url(port: port, database: "registry")
        let figures = try Self.run(
            trials: Mutator.size(default: 3), seed: Mutator.seed,
            create: { name in
                try Self.psql(admin, "CREATE DATABASE \(name)")
                return Self.url(port: port, database: name)
            },
            fault: { try Self.pgServer("crash", serverDir) },
            after: { try Self.pgServer("restart", serverDir) })
        print("crash postgres server: \(figures), seed \(Mutator.seed)")
    }
}
