import ArgumentParser
import EventLog
import Foundation

@main
struct RegistryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry-bench",
        abstract: "Measures loading, replaying and appending to the registry's event log (build with -c release).")

    @Option(help: "Number of events in the generated log.")
    var events = 10_000_000

    @Option(help: "Working directory for the file store (replaced).")
    var directory = "/tmp/registry-bench"

    @Option(help: "A libpq connection string for the PostgreSQL figures (scripts/bench starts a temporary server).")
    var postgres: String?

    @Flag(help: "Skip loading PostgreSQL through the normal append path (the slowest step).")
    var skipAppendLoad = false

    @Option(help: "How many times to run the PostgreSQL bulk import (each into an empty log, after its COPY reference).")
    var bulkRuns = 1

    @Flag(help: "Skip the file store figures.")
    var skipFile = false

    @Flag(help: "Reuse the file store already in --directory instead of loading it again.")
    var reuse = false

    @Flag(help: "Only replay (for profiling).")
    var replayOnly = false

    @Flag(help: "Fold each batch whole on one core, as a one-core machine does, rather than in two stages on two cores.")
    var oneStage = false

    @Flag(help: "Only the comparison benchmark: a registry of --persons built from a police feed, then a tax feed of --rows.")
    var compare = false

    @Option(help: "Persons in the comparison benchmark's registry.")
    var persons = 2_000_000

    @Option(help: "Rows in the comparison benchmark's tax feed.")
    var rows = 1_000_000

    @Flag(help: "Count the survey targets per county in the comparison benchmark (replays the worklist view too).")
    var targets = false

    @Option(help: ArgumentHelp("Only time opening the file store in --directory/file, as a writer or a reader.", valueName: "writer|reader"))
    var open: String?

    @Option(name: .customLong("import"), help: ArgumentHelp("Only the import benchmark: this JSON Lines file, with the rules, into a fresh file store.", valueName: "FILE"))
    var importFile: String?

    @Option(help: ArgumentHelp("With --import: also import into this file store (for instance a copy of a large one).", valueName: "DIR"))
    var importInto: String?

    func run() async throws {
        if let importFile {
            try await ImportBenchmark(file: importFile, directory: directory).run(into: importInto)
            return
        }
        if let open {
            guard open == "writer" || open == "reader" else { throw ValidationError("--open takes writer or reader") }
            try await OpenBenchmark(directory: directory + "/file").run(writer: open == "writer")
            return
        }
        if compare {
            try await ComparisonBenchmark(directory: directory + "/compare", persons: persons, rows: rows).run(reuse: reuse, targets: targets)
            return
        }
        let bench = FileLogBenchmark(directory: directory + "/file", events: events)
        say("CRC-32C by hardware: \(CRC32C.isHardwareAccelerated), SHA-256 (the chain hash) by hardware: \(RecordHash.isHardwareAccelerated)")
        if !skipFile { try await runFile(bench) }
        if let postgres { try await runPostgres(postgres) }
    }

    func runFile(_ bench: FileLogBenchmark) async throws {
        if replayOnly {
            let replay = try await bench.replay(staged: !oneStage && ProcessInfo.processInfo.activeProcessorCount > 1)
            say("file  replay (3 views) \(replay.events) events in \(String(format: "%.3f", replay.seconds)) s (cpu \(String(format: "%.3f", replay.cpu)) s)  \(Measure.rate(replay.events, replay.seconds))  peak \(Measure.mib(replay.peak))")
            return
        }
        let load = reuse ? (events: 0, seconds: 1.0) : try await bench.load()
        say("file  load            \(load.events) events in \(String(format: "%.2f", load.seconds)) s  \(Measure.rate(load.events, load.seconds))")
        for _ in 0..<2 {
            let opened = try await bench.opens()
            say("file  open            writer \(String(format: "%.3f", opened.writer.seconds)) s (cpu \(String(format: "%.3f", opened.writer.cpu)) s), reader \(String(format: "%.3f", opened.reader.seconds)) s (cpu \(String(format: "%.3f", opened.reader.cpu)) s)  target <= 1 s; before the speed issue: writer ~10 s at 10M (a scan of the whole log)")
        }
        for _ in 0..<2 {
            let plain = try bench.plainRead()
            say("file  plain read      \(Measure.mib(plain.bytes)) in \(String(format: "%.3f", plain.seconds)) s")
            let raw = try await bench.rawRead()
            say("file  raw read        \(raw.count) events in \(String(format: "%.3f", raw.seconds)) s  \(Measure.rate(raw.count, raw.seconds))  ratio \(String(format: "%.2f", raw.seconds / plain.seconds))x")
            let replay = try await bench.replay()
            say("file  replay (3 views) \(replay.events) events in \(String(format: "%.3f", replay.seconds)) s (cpu \(String(format: "%.3f", replay.cpu)) s)  \(Measure.rate(replay.events, replay.seconds))  ratio \(String(format: "%.2f", replay.seconds / plain.seconds))x  peak \(Measure.mib(replay.peak))  persons \(replay.model.personCount)  target >= 5 M/s, <= 10x; before the speed issue: 1.46-1.55 M/s at 10M")
        }
        let single = try await bench.singleAppends(writers: 8, perWriter: 200)
        say("file  single appends  8 writers p50 \(String(format: "%.2f", Measure.percentile(single.latencies, 0.5))) ms  p99 \(String(format: "%.2f", Measure.percentile(single.latencies, 0.99))) ms  \(Measure.rate(single.latencies.count, single.seconds))")
        let batched = try await bench.batchedAppends(writers: 4, batches: 50, batch: 1000)
        say("file  batched appends 4 writers x 1000/batch \(Measure.rate(batched.events, batched.seconds))")
    }

    func runPostgres(_ connection: String) async throws {
        // The bulk path fills one log; the reads are measured on it. The normal append path loads a second one.
        let imported = PostgresBenchmark(connectionString: connection, schema: "bench_\(events)_import", events: events)
        do {
            let batches = imported.batches()  // freed before the reads, so their peak is the replay's own
            for run in 0..<max(bulkRuns, 1) {
                if run > 0 { try await imported.dropLog() }
                // The bulk load's physical reference, in the same run: the same rows, encoded first, COPY into a bare table.
                var cpu0 = PostgresBenchmark.serverCPU(connection)
                let keyed = try await imported.copyInReference(batches, keys: true)
                let keyedServer = PostgresBenchmark.serverCPU(connection) - cpu0
                say("pg    COPY FROM, keys \(keyed.rows) rows, \(Measure.mib(keyed.bytes)) in \(String(format: "%.2f", keyed.seconds)) s  \(Measure.rate(keyed.rows, keyed.seconds))  (into a table with the three keys; server cpu \(String(format: "%.2f", keyedServer)) s)")
                cpu0 = PostgresBenchmark.serverCPU(connection)
                let copyIn = try await imported.copyInReference(batches, keys: false)
                let copyInServer = PostgresBenchmark.serverCPU(connection) - cpu0
                say("pg    COPY FROM STDIN \(copyIn.rows) rows, \(Measure.mib(copyIn.bytes)) in \(String(format: "%.2f", copyIn.seconds)) s  \(Measure.rate(copyIn.rows, copyIn.seconds))  (into a bare table; server cpu \(String(format: "%.2f", copyInServer)) s)")
                cpu0 = PostgresBenchmark.serverCPU(connection)
                let clientCPU0 = Measure.cpuSeconds
                let bulk = try await imported.bulkImport(batches)
                say("pg    bulk import     \(bulk.events) events in \(String(format: "%.2f", bulk.seconds)) s  \(Measure.rate(bulk.events, bulk.seconds))  ratio \(String(format: "%.2f", bulk.seconds / copyIn.seconds))x bare, \(String(format: "%.2f", bulk.seconds / keyed.seconds))x keyed  (importLog into an empty log; cpu client \(String(format: "%.2f", Measure.cpuSeconds - clientCPU0)) s, server \(String(format: "%.2f", PostgresBenchmark.serverCPU(connection) - cpu0)) s)")
            }
        }
        _ = releaseFreeMemory(0)  // the batches' memory goes back to the system: the replay's peak is its own
        for _ in 0..<2 {
            let cpu0 = PostgresBenchmark.serverCPU(connection)
            let copy = try await imported.copyReference()
            let copyServer = PostgresBenchmark.serverCPU(connection) - cpu0
            say("pg    COPY TO STDOUT  \(copy.rows) rows, \(Measure.mib(copy.bytes)) in \(String(format: "%.3f", copy.seconds)) s  \(Measure.rate(copy.rows, copy.seconds))  (server cpu \(String(format: "%.2f", copyServer)) s)")
            let plain = try await imported.readWithoutChainCheck()
            say("pg    read(from:)     \(plain.count) events in \(String(format: "%.3f", plain.seconds)) s  \(Measure.rate(plain.count, plain.seconds))  ratio \(String(format: "%.2f", plain.seconds / copy.seconds))x  (read(from:) in a loop: no read-ahead)")
            let raw = try await imported.rawRead()
            say("pg    raw read        \(raw.count) events in \(String(format: "%.3f", raw.seconds)) s  \(Measure.rate(raw.count, raw.seconds))  ratio \(String(format: "%.2f", raw.seconds / copy.seconds))x")
            let replayCPU0 = PostgresBenchmark.serverCPU(connection)
            let replay = try await imported.replay()
            let replayServer = PostgresBenchmark.serverCPU(connection) - replayCPU0
            say("pg    replay (3 views) \(replay.events) events in \(String(format: "%.3f", replay.seconds)) s (cpu \(String(format: "%.3f", replay.cpu)) s)  \(Measure.rate(replay.events, replay.seconds))  ratio \(String(format: "%.2f", replay.seconds / copy.seconds))x  peak \(Measure.mib(replay.peak))  (server cpu \(String(format: "%.2f", replayServer)) s)")
        }
        let appended = PostgresBenchmark(connectionString: connection, schema: "bench_\(events)", events: events)
        if !skipAppendLoad {
            let load = try await appended.load()
            say("pg    load            \(load.events) events in \(String(format: "%.2f", load.seconds)) s  \(Measure.rate(load.events, load.seconds))  (normal append path)")
        }
        let batched = try await appended.batchedAppends(writers: 4, batches: 25, batch: 1000)
        say("pg    batched appends 4 writers x 1000/batch \(Measure.rate(batched.events, batched.seconds))")
    }

}

/// Prints a line and flushes it at once, so that a run written to a file shows its progress.
func say(_ line: String) {
    print(line)
    fflush(nil)
}

/// glibc's `malloc_trim`: returns freed heap memory to the system (not in the Glibc module's headers).
@_silgen_name("malloc_trim")
func releaseFreeMemory(_ pad: Int) -> Int32
