import FuzzSupport
import Foundation
import Glibc
import Testing

/// The crash harness: the built `registry import` (a durable import into a file store with 64 KiB segments, so
/// roll-overs and index writes happen all through the run) is killed with SIGKILL at seeded random moments.
/// After each kill: `registry verify` exits 0; the export holds only input lines, each once and byte-equal (the
/// store's own `position` and `recorded` fields aside); nothing half-written comes back. The same import is then
/// re-run on the damaged-by-kill store, itself killed again or let finish: a finished run reports every line
/// accepted or already present, the store then holds every input line exactly once, and a run that finished before
/// its kill has every line in the store. Long run: `scripts/torture crash`.
@Suite("Crash harness: registry import killed with SIGKILL", .serialized)
struct CrashHarnessTests {
    /// A line without the fields the store fills in (its position and recording time).
    static func normalized(_ line: Substring) -> String {
        let text = String(line)
        let pattern = try! NSRegularExpression(pattern: #""(position|recorded)":("[^"]*"|[0-9]+),"#)
        return pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "")
    }

    static func lines(of url: URL) throws -> [String] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(normalized)
    }

    /// A city's log as JSON Lines: `registry demo` then `registry export`, normalized.
    static func makeInput(in dir: TemporaryDirectory, persons: Int, seed: UInt64) throws -> [String] {
        let demo = try dir.registry("demo", "--store", "city", "--persons", "\(persons)", "--seed", "\(seed)")
        guard demo.status == 0 else { throw SmallLog.SetupFailure(description: "demo: \(demo)") }
        let export = try dir.registry("export", "--store", "city", "-o", "city.jsonl")
        guard export.status == 0 else { throw SmallLog.SetupFailure(description: "export: \(export)") }
        let lines = try Self.lines(of: dir.url.appendingPathComponent("city.jsonl"))
        try dir.write("input.jsonl", lines.joined(separator: "\n") + "\n")
        return lines
    }

    /// Starts `registry` with outputs to files; returns the process.
    static func start(_ arguments: [String], in dir: TemporaryDirectory, output: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try RegistryTool.executable())
        process.arguments = arguments
        process.currentDirectoryURL = dir.url
        let out = dir.url.appendingPathComponent(output), err = dir.url.appendingPathComponent(output + ".err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    struct Figures: CustomStringConvertible {
        var kills = 0, finishedBeforeKill = 0, partialStores = 0, fullRuns = 0, linesPresentAfterKills = 0
        var seconds = 0.0
        var description: String {
            "\(kills) kills (\(finishedBeforeKill) runs finished before their kill), \(partialStores) partial stores checked, \(fullRuns) re-runs to completion, \(linesPresentAfterKills) lines found after kills, \(String(format: "%.1f", seconds)) s"
        }
    }

    /// Checks the store after a kill; returns the lines it holds.
    static func check(_ dir: TemporaryDirectory, store: String, input: Set<String>, trial: Int) throws -> [String] {
        guard FileManager.default.fileExists(atPath: dir.url.appendingPathComponent(store).path) else { return [] }
        let verify = try dir.registry("verify", "--store", store)
        // Killed while creating the store, before its first segment: a directory that holds no store, which every
        // reader calls so (EX_NOINPUT) and the next import creates. Nothing was acknowledged.
        let segments = (try? FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent(store).path))?.filter { $0.hasSuffix(".seg") } ?? []
        if segments.isEmpty {
            #expect(verify.status == 66 && verify.stderr.contains("no segment files"), "trial \(trial): a store without segments: \(verify)")
            return []
        }
        #expect(verify.status == 0, "trial \(trial): verify after a kill: \(verify)")
        try? FileManager.default.removeItem(at: dir.url.appendingPathComponent("present.jsonl"))
        let export = try dir.registry("export", "--store", store, "-o", "present.jsonl")
        #expect(export.status == 0, "trial \(trial): export after a kill: \(export)")
        let present = try lines(of: dir.url.appendingPathComponent("present.jsonl"))
        #expect(Set(present).count == present.count, "trial \(trial): a line is in the store twice")
        let foreign = present.filter { !input.contains($0) }
        #expect(foreign.isEmpty, "trial \(trial): \(foreign.count) records in the store are not input lines (first: \(foreign.first?.prefix(120) ?? ""))")
        return present
    }

    static func run(kills: Int, seed: UInt64, persons: Int) throws -> Figures {
        let started = Date()
        let dir = try TemporaryDirectory()
        let input = try makeInput(in: dir, persons: persons, seed: seed)
        let inputSet = Set(input)
        #expect(inputSet.count == input.count && input.count > 100)
        var random = Mutator(seed: seed)
        var figures = Figures()

        // One undisturbed run measures how long an import takes, so kills spread over its whole length.
        let timed = Date()
        let first = try dir.registry("import", "--store", "timed", "--segment-size", "65536", "input.jsonl")
        let duration = Date().timeIntervalSince(timed)
        #expect(first.status == 0 && first.stdout.hasPrefix("Imported input.jsonl: \(input.count) accepted, 0 already present, 0 rejected"), "\(first)")

        var store = "store-0"
        for trial in 0..<kills {
            let batch = [1, 16, 64, 256, 1000].randomElement(using: &random)!
            let arguments = ["import", "--store", store, "--segment-size", "65536", "--batch-size", "\(batch)", "input.jsonl"]
            let process = try start(arguments, in: dir, output: "killed.out")
            usleep(useconds_t(Double.random(in: 0...(duration * 1.1), using: &random) * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            figures.kills += 1
            let present = try check(dir, store: store, input: inputSet, trial: trial)
            figures.linesPresentAfterKills += present.count
            if process.terminationReason == .exit {
                // The run ended before the kill: what it reported as accepted must all be there.
                figures.finishedBeforeKill += 1
                let out = try String(contentsOf: dir.url.appendingPathComponent("killed.out"), encoding: .utf8)
                #expect(process.terminationStatus == 0 && out.contains(" 0 rejected"), "trial \(trial): \(out)")
                #expect(Set(present) == inputSet, "trial \(trial): the import finished but \(input.count - present.count) lines are missing")
            } else if !present.isEmpty {
                figures.partialStores += 1
            }
            // Now and then the same import re-run to the end on the killed store: nothing duplicated, all there.
            if Int.random(in: 0..<4, using: &random) == 0 || trial == kills - 1 {
                let rerun = try dir.registry("import", "--store", store, "--segment-size", "65536", "input.jsonl")
                let expected = "Imported input.jsonl: \(input.count - present.count) accepted, \(present.count) already present, 0 rejected"
                #expect(rerun.status == 0 && rerun.stdout.hasPrefix(expected), "trial \(trial): re-run: \(rerun)")
                let after = try check(dir, store: store, input: inputSet, trial: trial)
                #expect(after.count == input.count && Set(after) == inputSet, "trial \(trial): after the re-run the store holds \(after.count) of \(input.count) lines")
                figures.fullRuns += 1
                try? FileManager.default.removeItem(at: dir.url.appendingPathComponent(store))
                store = "store-\(trial + 1)"
            }
        }
        figures.seconds = Date().timeIntervalSince(started)
        return figures
    }

    @Test("registry import killed at random moments: the store verifies, holds only whole input lines once, re-runs complete")
    func killedImports() throws {
        let kills = Mutator.size(default: 16)
        let figures = try Self.run(kills: kills, seed: Mutator.seed, persons: ProcessInfo.processInfo.environment["TORTURE_PERSONS"].flatMap { Int($0) } ?? 120)
        #expect(figures.kills == kills)
        print("crash import: \(figures), seed \(Mutator.seed)")
    }
}
