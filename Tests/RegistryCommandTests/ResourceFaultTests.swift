import FuzzSupport
import Foundation
import Glibc
import Testing

/// Resource faults met by the built `registry`: a full disk (a file-size limit the kernel enforces: writes past it
/// fail with EFBIG, as a full disk's fail with ENOSPC), a read-only store directory, a store path that is a
/// regular file. Each is one line on standard error with its sysexits status, the store is left as consistent as
/// before (it reopens and verifies), and nothing is reported as done that is not in the store: a re-run without
/// the fault finds exactly the lines the faulted run wrote as already present.
@Suite("Resource faults: disk full, read-only store, store path a file", .serialized)
struct ResourceFaultTests {
    /// One line on standard error, `registry: error: …`, and nothing on standard output.
    static func expectOneLine(_ result: RegistryTool.Result, status: Int32, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "\(context): \(result)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(context): \(result)", sourceLocation: sourceLocation)
        // The note of a store created by this run may come before the error, and an import's line saying what it
        // committed before the failure (checked by the tests that expect it).
        let lines = result.stderr.split(separator: "\n").filter {
            !$0.hasPrefix("registry: created a new store at ") && !$0.contains(" stopped part-way: before the failure, ")
        }
        #expect(lines.count == 1 && lines.first?.hasPrefix("registry: error: ") == true, "\(context): not one error line: \(result)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), "\(context): \(result)", sourceLocation: sourceLocation)
    }

    @Test("disk full during an import: one line, EX_IOERR, the store verifies, a re-run finds what was written and adds the rest")
    func diskFullDuringImport() throws {
        let dir = try TemporaryDirectory()
        let input = try CrashHarnessTests.makeInput(in: dir, persons: 30, seed: 7)
        let inputSet = Set(input)
        // The size of the whole log in one segment, to place the limits inside it.
        #expect(try dir.registry("import", "--store", "whole", "input.jsonl").status == 0)
        let segments = ConfinedRun.files(under: dir.url.appendingPathComponent("whole").path).filter { $0.hasSuffix(".seg") || $0.contains("segment") }
        let total = try segments.map { try FileManager.default.attributesOfItem(atPath: dir.url.appendingPathComponent("whole/\($0)").path)[.size] as! Int }.max() ?? 0
        #expect(total > 30_000, "segments: \(segments)")

        var random = Mutator(seed: Mutator.seed)
        let limits = [0, 4096] + (0..<Mutator.size(default: 2)).map { _ in Int.random(in: 4096..<total, using: &random) }
        for (trial, limit) in limits.enumerated() {
            let store = "full-\(trial)"
            let batch = [1, 16, 1000].randomElement(using: &random)!
            let full = try ConfinedRun.registry(["import", "--store", store, "--batch-size", "\(batch)", "input.jsonl"], in: dir.url, fileSizeLimit: limit)
            Self.expectOneLine(full, status: 74, "import with files limited to \(limit) bytes")
            #expect(full.stderr.contains("File too large"), "the cause is named: \(full.stderr)")

            // Whatever was written verifies and is input lines, once each.
            let present = try CrashHarnessTests.check(dir, store: store, input: inputSet, trial: trial)
            // The import said what it had committed before the failure: exactly what the store holds.
            let stopped = full.stderr.split(separator: "\n").filter { $0.contains(" stopped part-way: ") }
            if present.isEmpty {
                #expect(stopped.isEmpty, "nothing committed, nothing claimed: limit \(limit): \(full.stderr)")
            } else {
                #expect(stopped == ["registry: import of input.jsonl stopped part-way: before the failure, \(present.count) accepted, 0 already present, 0 rejected; last appended position \(present.count) (a re-run reports those lines as already present)"],
                        "limit \(limit), \(present.count) lines in the store: \(full.stderr)")
                #expect(full.stderr.hasSuffix("\n") && full.stderr.split(separator: "\n").last?.hasPrefix("registry: error: ") == true,
                        "the error comes after: \(full.stderr)")
            }
            // A re-run with room finds exactly those as already present and adds the rest.
            let rerun = try dir.registry("import", "--store", store, "input.jsonl")
            #expect(rerun.status == 0 && rerun.stdout.hasPrefix("Imported input.jsonl: \(input.count - present.count) accepted, \(present.count) already present, 0 rejected"),
                    "limit \(limit): re-run after the disk filled: \(rerun)")
            let after = try CrashHarnessTests.check(dir, store: store, input: inputSet, trial: trial)
            #expect(Set(after) == inputSet && after.count == input.count, "limit \(limit): \(after.count) of \(input.count) lines after the re-run")
            #expect(!ConfinedRun.files(under: dir.url.appendingPathComponent(store).path).contains { $0.contains(".tmp") },
                    "limit \(limit): temporary files left: \(ConfinedRun.files(under: dir.url.appendingPathComponent(store).path))")
        }
    }

    @Test("disk full while writing an export or the views' snapshot: one line or the view still right; no file half-written")
    func diskFullForOutputs() throws {
        let dir = try TemporaryDirectory()
        _ = try CrashHarnessTests.makeInput(in: dir, persons: 40, seed: 7)
        let expected = try dir.registry("coverage", "--store", "city")
        #expect(expected.status == 0)
        let views = dir.url.appendingPathComponent("city/views").path
        try? FileManager.default.removeItem(atPath: views)

        // An export larger than the limit: refused in one line; no output file, no temporary file.
        let export = try ConfinedRun.registry(["export", "--store", "city", "-o", "out.jsonl"], in: dir.url, fileSizeLimit: 20_000)
        Self.expectOneLine(export, status: 74, "export past the file-size limit")
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("out.jsonl").path))
        #expect(!ConfinedRun.files(under: dir.url.path).contains { $0.hasPrefix("out.jsonl") }, "\(ConfinedRun.files(under: dir.url.path))")
        // An export over an existing file: the old file stays whole.
        try dir.write("old.jsonl", "the old export\n")
        let over = try ConfinedRun.registry(["export", "--store", "city", "-o", "old.jsonl"], in: dir.url, fileSizeLimit: 20_000)
        Self.expectOneLine(over, status: 74, "export over an old file past the limit")
        #expect(try String(contentsOf: dir.url.appendingPathComponent("old.jsonl"), encoding: .utf8) == "the old export\n")

        // The views' snapshot cannot be written: the view is still printed, right; no snapshot or half of one.
        let coverage = try ConfinedRun.registry(["coverage", "--store", "city"], in: dir.url, fileSizeLimit: 4096)
        #expect(coverage.status == 0 && coverage.stdout == expected.stdout, "\(coverage)")
        #expect(coverage.stderr.split(separator: "\n").count <= 1, "\(coverage)")
        #expect(!ConfinedRun.files(under: views).contains { $0.contains(".tmp") }, "\(ConfinedRun.files(under: views))")
        let next = try dir.registry("coverage", "--store", "city")
        #expect(next.status == 0 && next.stdout == expected.stdout && !next.stderr.contains("not used"), "\(next)")
    }

    @Test("a read-only store directory: an import is refused in one line (EX_NOPERM), nothing changes; views still run")
    func readOnlyStoreDirectory() throws {
        let dir = try TemporaryDirectory()
        try dir.write("small.jsonl", SmallLog.text)
        _ = try dir.registry("import", "--store", "store", "--no-rules", "small.jsonl")
        try? FileManager.default.removeItem(at: dir.url.appendingPathComponent("store/views"))
        let before = try dir.registry("export", "--store", "store")
        #expect(before.status == 0 && !before.stdout.isEmpty)
        let listing = ConfinedRun.files(under: dir.url.appendingPathComponent("store").path)
        let coverage = try dir.registry("coverage", "--store", "store")
        try? FileManager.default.removeItem(at: dir.url.appendingPathComponent("store/views"))

        // Mode 0500 owned by the user running `registry` (root bypasses modes: as root, it runs as nobody).
        let store = dir.url.appendingPathComponent("store").path
        try ConfinedRun.handOver(store, mode: 0o500)
        defer { ConfinedRun.takeBack(store) }
        chmod(dir.url.path, 0o755)
        chmod(dir.url.appendingPathComponent("small.jsonl").path, 0o644)
        let refused = try ConfinedRun.registry(["import", "--store", "store", "--no-rules", "small.jsonl"], in: dir.url, asUnprivileged: ConfinedRun.isRoot)
        Self.expectOneLine(refused, status: 77, "import into a read-only store directory")
        let repair = try ConfinedRun.registry(["repair", "--store", "store"], in: dir.url, asUnprivileged: ConfinedRun.isRoot)
        #expect(repair.status == 77 || repair.status == 0, "\(repair)")
        #expect(repair.stderr.split(separator: "\n").count <= 1, "\(repair)")

        // Views and verify run (an auditor's read-only copy), without writing anything.
        let view = try ConfinedRun.registry(["coverage", "--store", "store"], in: dir.url, asUnprivileged: ConfinedRun.isRoot)
        #expect(view.status == 0 && view.stdout == coverage.stdout, "\(view)")
        let verify = try ConfinedRun.registry(["verify", "--store", "store"], in: dir.url, asUnprivileged: ConfinedRun.isRoot)
        #expect(verify.status == 0, "\(verify)")
        #expect(ConfinedRun.files(under: store) == listing)
        ConfinedRun.takeBack(store)
        let after = try dir.registry("export", "--store", "store")
        #expect(after.stdout == before.stdout)
    }

    @Test("a store path that is a regular file, or under one: one line, no input, the file untouched")
    func storePathIsAFile() throws {
        let dir = try TemporaryDirectory()
        try dir.write("small.jsonl", SmallLog.text)
        try dir.write("afile", "not a store\n")
        for command in [["coverage"], ["verify"], ["export"], ["import", "small.jsonl"], ["repair"]] {
            for store in ["afile", "afile/store"] {
                let result = try dir.registry(arguments: [command[0], "--store", store] + command.dropFirst())
                let status: Int32 = command[0] == "import" ? 73 : 66
                Self.expectOneLine(result, status: status, "\(command[0]) --store \(store)")
            }
        }
        #expect(try String(contentsOf: dir.url.appendingPathComponent("afile"), encoding: .utf8) == "not a store\n")
    }

    @Test("an unreachable PostgreSQL server (a closed port): an import is refused in one line, EX_UNAVAILABLE")
    func unreachablePostgreSQL() throws {
        let dir = try TemporaryDirectory()
        try dir.write("small.jsonl", SmallLog.text)
        // A port just bound and released: nothing listens there.
        let port = try Self.closedPort()
        for command in [["import", "small.jsonl"], ["coverage"], ["verify"], ["migrate"]] {
            let result = try dir.registry(arguments: [command[0], "--store", "postgresql://ops:s3cret@127.0.0.1:\(port)/registry?connect_timeout=3"] + command.dropFirst())
            Self.expectOneLine(result, status: 69, "\(command[0]) on a closed port")
            #expect(!result.stderr.contains("s3cret"))
        }
    }

    /// A loopback port nothing listens on.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw RegistryTool.NotFound(description: "no loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
