import EventLog
import FileStore
import Foundation
import RegistryDomain
import RegistryProjections

/// `registry import` with the rules, as the command runs it (`JSONLinesImporter`, batches of 1,000, a compact
/// report): into a fresh file store, and optionally into a given one (for instance a copy of a ten-million-event
/// store: the lines must be new to it). Prints lines per second, CPU microseconds per line, and the figure before
/// the speed issue beside it.
struct ImportBenchmark {
    /// The JSON Lines file (for instance `registry export` of a `registry demo --persons 200000 --seed 7` store).
    let file: String
    /// The scratch directory (replaced).
    let directory: String

    /// The figure measured before the speed issue (issue 15), on this machine.
    static let before = "before: 5,000-10,000 lines/s, 86 µs CPU/line"

    struct Figure {
        var lines: Int
        var rejected: Int
        var seconds: Double
        var cpu: Double
        var open: Double
    }

    func run(into existing: String?) async throws {
        let fresh = directory + "/import-fresh"
        try? FileManager.default.removeItem(atPath: fresh)
        let a = try await importFile(into: fresh)
        say(line("fresh store", a))
        if let existing {
            let b = try await importFile(into: existing)
            say(line("into \(existing)", b) + String(format: "  (opening it for writing: %.2f s, not counted)", b.open))
        }
    }

    func line(_ what: String, _ f: Figure) -> String {
        "file  import (rules)  \(what): \(f.lines) lines (\(f.rejected) rejected) in \(String(format: "%.2f", f.seconds)) s  "
            + "\(Measure.rate(f.lines, f.seconds))  cpu \(String(format: "%.1f", f.cpu / Double(max(1, f.lines)) * 1e6)) µs/line  "
            + "(\(Self.before); target ≥ 100K/s fresh, ≥ 50K/s into 10M)"
    }

    func importFile(into directory: String) async throws -> Figure {
        let (store, open) = try await Measure.seconds { try FileEventStore(directory: directory) }
        var importer = JSONLinesImporter(store: store, reportsEveryLine: false)
        // As `registry import` does: persons the store holds judged from the views' snapshot when one fits.
        let source = SnapshotPersonStates(store: store, snapshots: AreaBasis.allCases.map { basis in
            (path: directory + "/views/registry-\(basis.rawValue).checkpoint", settings: ProjectionSettings(areaBasis: basis))
        })
        importer.personStates = source
        let cpu0 = Measure.cpuSeconds
        let (report, seconds) = try await Measure.seconds { try await importer.importFile(at: URL(fileURLWithPath: file)) }
        let cpu = Measure.cpuSeconds - cpu0
        try await store.close()
        if await source.isAnswering { say("  (persons the store holds judged from the views' snapshot)") }
        return Figure(lines: report.acceptedCount + report.alreadyPresentCount + report.rejectedCount, rejected: report.rejectedCount,
                      seconds: seconds, cpu: cpu, open: open)
    }
}
