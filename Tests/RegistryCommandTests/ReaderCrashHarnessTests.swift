import FuzzSupport
import Foundation
import Glibc
import Testing

/// Readers killed while a writer imports: `registry coverage` (which saves the views' snapshot under
/// `<store>/views/`) and `registry export -o` (which replaces an existing export) are started one after another
/// against a store a `registry import` is writing, and each is SIGKILLed at a seeded moment. Afterwards: the writer
/// was not disturbed (it reports every line accepted and the store verifies); no temporary file is left anywhere
/// once the next export and view ran (a kill between naming a file and renaming it leaves one, which they remove);
/// the export target is the old file, byte-equal, or a whole export (input lines, each once); the views' snapshot
/// is absent or whole (the next view loads it without a note and prints what a rebuild prints). Long run:
/// `scripts/torture readers`.
@Suite("Crash harness: readers killed while a writer imports", .serialized)
struct ReaderCrashHarnessTests {
    struct Figures: CustomStringConvertible {
        var kills = 0, readersFinished = 0, exportsReplaced = 0, exportsKept = 0, snapshotsWhole = 0, imports = 0
        var seconds = 0.0
        var description: String {
            "\(kills) reader kills during \(imports) imports (\(readersFinished) readers finished first), export target kept \(exportsKept) / replaced whole \(exportsReplaced), \(snapshotsWhole) snapshots found whole, \(String(format: "%.1f", seconds)) s"
        }
    }

    static func run(kills: Int, seed: UInt64, persons: Int) throws -> Figures {
        let started = Date()
        let dir = try TemporaryDirectory()
        let input = try CrashHarnessTests.makeInput(in: dir, persons: persons, seed: seed)
        let inputSet = Set(input)
        var random = Mutator(seed: seed)
        var figures = Figures()
        let old = "an old export that must stay whole or be replaced whole\n"
        // How long each reader takes on the whole log (the views rebuilt, no snapshot), so kills spread over it.
        #expect(try dir.registry("import", "--store", "whole", "input.jsonl").status == 0)
        var durations: [String: Double] = [:]
        for reader in ["coverage", "export"] {
            let t0 = Date()
            let done = try dir.registry(arguments: [reader, "--store", "whole"] + (reader == "export" ? ["-o", "whole.jsonl"] : []))
            #expect(done.status == 0, "\(done)")
            durations[reader] = Date().timeIntervalSince(t0)
            try? FileManager.default.removeItem(at: dir.url.appendingPathComponent("whole/views"))
        }

        while figures.kills < kills {
            let store = "store-\(figures.imports)"
            try dir.write("export.jsonl", old)
            let writer = try CrashHarnessTests.start(
                ["import", "--store", store, "--segment-size", "65536", "--batch-size", "16", "input.jsonl"], in: dir, output: "writer.out")
            figures.imports += 1
            // Readers while the writer runs (a reader needs the store to exist: wait for the first segment).
            while writer.isRunning, figures.kills < kills {
                guard FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("\(store)/00000001.seg").path) else {
                    usleep(2_000)
                    continue
                }
                let name = Bool.random(using: &random) ? "coverage" : "export"
                let arguments = name == "coverage" ? ["coverage", "--store", store] : ["export", "--store", store, "-o", "export.jsonl"]
                let reader = try CrashHarnessTests.start(arguments, in: dir, output: "reader.out")
                usleep(useconds_t(Double.random(in: 0...(durations[name]! * 1.2), using: &random) * 1_000_000))
                kill(reader.processIdentifier, SIGKILL)
                reader.waitUntilExit()
                figures.kills += 1
                if reader.terminationReason == .exit { figures.readersFinished += 1 }
                try checkExport(dir, old: old, input: inputSet, figures: &figures, trial: figures.kills)
            }
            writer.waitUntilExit()
            let out = try String(contentsOf: dir.url.appendingPathComponent("writer.out"), encoding: .utf8)
            #expect(writer.terminationStatus == 0 && out.hasPrefix("Imported input.jsonl: \(input.count) accepted, 0 already present, 0 rejected"),
                    "import \(figures.imports): the writer was disturbed: \(out) \((try? String(contentsOf: dir.url.appendingPathComponent("writer.out.err"), encoding: .utf8)) ?? "")")
            let present = try CrashHarnessTests.check(dir, store: store, input: inputSet, trial: figures.kills)
            #expect(present.count == input.count)
            // The snapshot, if a reader saved one, is whole: the next view uses it (no note) and agrees with a rebuild.
            let snapshot = dir.url.appendingPathComponent("\(store)/views").path
            let saved = !ConfinedRun.files(under: snapshot).filter { !$0.contains(".tmp") }.isEmpty
            let view = try dir.registry("coverage", "--store", store)
            #expect(view.status == 0 && !view.stderr.contains("not used"), "import \(figures.imports): the snapshot was damaged: \(view)")
            // A reader killed between naming its file and the rename leaves it (Linux cannot put an unnamed file over
            // a name in one call); the next writer of the same target removes it: the next export, the next view.
            let export = try dir.registry("export", "--store", store, "-o", "export.jsonl")
            #expect(export.status == 0, "\(export)")
            try checkExport(dir, old: old, input: inputSet, figures: &figures, trial: figures.kills)
            let leftovers = ConfinedRun.files(under: dir.url.path).filter { $0.contains(".tmp") }
            #expect(leftovers.isEmpty, "import \(figures.imports): temporary files left behind after the next export and view: \(leftovers)")
            if saved {
                try FileManager.default.removeItem(atPath: snapshot)
                let rebuilt = try dir.registry("coverage", "--store", store)
                #expect(rebuilt.stdout == view.stdout)
                figures.snapshotsWhole += 1
            }
            try? FileManager.default.removeItem(at: dir.url.appendingPathComponent(store))
        }
        figures.seconds = Date().timeIntervalSince(started)
        return figures
    }

    /// The export target after a reader's kill: the old file, or a whole export.
    static func checkExport(_ dir: TemporaryDirectory, old: String, input: Set<String>, figures: inout Figures, trial: Int) throws {
        let url = dir.url.appendingPathComponent("export.jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        if text == old {
            figures.exportsKept += 1
            return
        }
        figures.exportsReplaced += 1
        #expect(text.isEmpty || text.hasSuffix("\n"), "kill \(trial): the export ends mid-line")
        let lines = try CrashHarnessTests.lines(of: url)
        #expect(Set(lines).count == lines.count && lines.allSatisfy(input.contains), "kill \(trial): the export holds lines that are not input lines, or one twice")
        try dir.write("export.jsonl", old)
    }

    @Test("coverage and export killed while an import runs: nothing left behind, the writer undisturbed")
    func killedReaders() throws {
        let kills = Mutator.size(default: 12)
        let figures = try Self.run(kills: kills, seed: Mutator.seed, persons: ProcessInfo.processInfo.environment["TORTURE_PERSONS"].flatMap { Int($0) } ?? 120)
        #expect(figures.kills == kills)
        print("crash readers: \(figures), seed \(Mutator.seed)")
    }
}
