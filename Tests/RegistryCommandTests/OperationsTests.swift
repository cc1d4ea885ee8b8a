import Foundation
import Testing

/// Operations conventions, run as an operator or a cron job would: the default store from REGISTRY_STORE, a libpq
/// keyword string that never becomes a directory, JSON reports, `-` for standard output, and every exit status
/// listed in the help.
@Suite("registry operations conventions")
struct OperationsTests {
    @Test("REGISTRY_STORE names the store when --store is not given")
    func storeFromEnvironment() throws {
        let dir = try TemporaryDirectory()
        try dir.write("small.jsonl", SmallLog.text)
        let env = ["REGISTRY_STORE": "from-env"]
        let imported = try dir.registry("import", "small.jsonl", environment: env)
        #expect(imported.status == 65, "the small log has rejected lines: \(imported)")
        #expect(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("from-env").path))
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("registry-data").path))
        let verify = try dir.registry("verify", environment: env)
        #expect(verify.stdout.hasPrefix("intact up to 9 "), "\(verify)")
    }

    @Test("a libpq keyword string is PostgreSQL: unreachable, exit 69, and no directory of that name")
    func keywordFormNeverCreatesADirectory() throws {
        let dir = try TemporaryDirectory()
        try dir.write("small.jsonl", SmallLog.text)
        let conninfo = "host=127.0.0.1 port=1 dbname=registry password=s3cret connect_timeout=2"
        let result = try dir.registry("import", "--store", conninfo, "small.jsonl")
        #expect(result.status == 69, "EX_UNAVAILABLE: \(result)")
        #expect(result.stderr.contains("password=***"))
        #expect(!result.stderr.contains("s3cret"))
        let entries = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { !$0.hasPrefix(".") }
        #expect(entries == ["small.jsonl"], "nothing created: \(entries)")
    }

    @Test("export --output - writes to standard output, never a file named -")
    func exportDashIsStandardOutput() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("export", "--store", "store", "--output", "-")
        #expect(result.status == 0)
        #expect(result.lines.count == 9)
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("-").path))
    }

    @Test("import, verify and replay print one JSON object with --format json")
    func jsonReports() throws {
        let dir = try TemporaryDirectory()
        try dir.write("small.jsonl", SmallLog.text)
        let imported = try dir.registry("import", "--store", "store", "--format", "json", "small.jsonl")
        #expect(imported.status == 65)
        let report = try Self.object(imported.stdout)
        #expect(report["accepted"] as? Int == 9)
        #expect(report["appendedRanges"] as? [[Int]] == [[1, 9]])
        let rejected = try #require(report["rejectedLines"] as? [[String: Any]])
        #expect(rejected.count == report["rejected"] as? Int)
        #expect(rejected.first?["code"] as? String != nil)
        #expect(!imported.stdout.contains("120101199509090468"), "no citizen ID in the report")

        let verify = try Self.object(try dir.registry("verify", "--store", "store", "--format", "json").stdout)
        #expect(verify["intact"] as? Bool == true)
        #expect(verify["intactUpTo"] as? Int == 9)
        #expect((verify["headHash"] as? String)?.count == 64)

        let replay = try dir.registry("replay", "--store", "store", "--format", "json")
        #expect(replay.status == 0)
        let replayed = try Self.object(replay.stdout)
        #expect(replayed["events"] as? Int == 9)
        #expect(replayed["position"] as? Int == 9)
        #expect(replayed["persons"] as? Int != nil)
    }

    @Test("the help lists every exit status")
    func helpListsExitStatuses() throws {
        let dir = try TemporaryDirectory()
        let help = try dir.registry("--help")
        for line in ["0  success", "3  verify found damage", "64  usage error", "65  data refused", "66  no such store",
                     "69  PostgreSQL server unavailable", "70  unexpected error", "73  cannot create", "74  input/output error",
                     "75  temporary failure", "77  permission denied"] {
            #expect(help.stdout.contains(line), "\(line)")
        }
    }

    @Test("a store locked by a writer is a temporary failure (75)")
    func lockedStoreIsTemporary() throws {
        let dir = try SmallLog.imported()
        // A writer holds the store while it waits for its input on standard input.
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: try RegistryTool.executable())
        writer.arguments = ["import", "--store", "store", "-"]
        writer.currentDirectoryURL = dir.url
        let input = Pipe()
        writer.standardInput = input
        let writerOutput = dir.url.appendingPathComponent("writer.out")
        FileManager.default.createFile(atPath: writerOutput.path, contents: nil)
        let output = try FileHandle(forWritingTo: writerOutput)
        writer.standardOutput = output
        writer.standardError = output
        try writer.run()
        defer {
            try? input.fileHandleForWriting.close()
            writer.waitUntilExit()
        }
        // Wait until the writer holds the store's LOCK file open (Linux: its /proc fd links).
        let lock = dir.url.appendingPathComponent("store/LOCK").resolvingSymlinksInPath().path
        var holding = false
        for _ in 0..<400 where !holding {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(writer.processIdentifier)/fd")) ?? []
            holding = fds.contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(writer.processIdentifier)/fd/\($0)")) == lock }
            if !holding { Thread.sleep(forTimeInterval: 0.05) }
        }
        try #require(holding, "the writer did not open the store: \((try? String(contentsOf: writerOutput, encoding: .utf8)) ?? "")")
        let second = try dir.registry("import", "--store", "store", "-")
        #expect(second.status == 75, "EX_TEMPFAIL: \(second)")
        #expect(second.stderr.contains("in use by another writing process"))
    }

    static func object(_ text: String) throws -> [String: Any] {
        #expect(text.split(separator: "\n").count == 1, "one line: \(text)")
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}
