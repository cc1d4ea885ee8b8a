import Benchmark
import EventLog
import MemoryStore
import RegistryDomain
import RegistryProjections
import RegistrySimulation

// Allocations (and time) per event in the three hot paths: decoding a record, folding it into the views, importing
// a JSON line. Every benchmark iteration handles one batch of 1,000 records or lines and the scaling factor is
// `.kilo`, so every figure the tool prints with a `*` is per event (rounded to whole numbers: `--scale` prints the
// per-iteration counts, where the harness's own 16 allocations per iteration show in "baseline: empty iteration").
// The input is the synthetic city
// (`CitySimulation`), the same log `registry-bench` and the demo use, read from an in-memory store: nothing here
// touches a disk, and only public API is used (the importer is driven through `JSONLinesImporter.importLines`).

/// Records or lines per benchmark iteration: the scaling factor below divides every figure by this.
let perIteration = 1_000

/// Events of the city read for the decode and fold benchmarks (ten batches, cycled).
let logEvents = 10_000

let perEvent = Benchmark.Configuration(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
    timeUnits: .nanoseconds,
    warmupIterations: 3,
    scalingFactor: .kilo,
    maxDuration: .seconds(2),
    maxIterations: 1_000
)

/// The inputs, made once per process (the benchmark tool runs each benchmark in a process of its own).
enum Inputs {
    /// The city's first ``logEvents`` events as the store hands them out: batches of 1,000 canonical records.
    nonisolated(unsafe) static var batches: [EventBatch] = []
    /// The city's first events as JSON Lines (the exporter's form), bytes per line.
    nonisolated(unsafe) static var lines: [[UInt8]] = []

    static func loadBatches() async throws {
        guard batches.isEmpty else { return }
        let store = InMemoryEventStore()
        // The city makes about the events asked for (whole persons): ask for more, keep the first full batches.
        _ = try await CitySimulation(.events(logEvents + logEvents / 5)).load(into: store, batchEvents: 5_000)
        var position: LogPosition = 1
        while batches.count < logEvents / perIteration {
            let batch = try await store.read(from: position, filter: .all, maxCount: perIteration)
            if batch.isEmpty { break }
            batches.append(batch)
            position = batch.nextPosition
        }
        precondition(batches.count == logEvents / perIteration && batches.allSatisfy { $0.count == perIteration })
    }

    static func loadLines(events: Int) async throws {
        guard lines.isEmpty else { return }
        let store = InMemoryEventStore()
        _ = try await CitySimulation(.events(events + events / 5)).load(into: store, batchEvents: 5_000)
        lines = try await JSONLinesExporter(store: store).lines().map { Array($0.utf8) }
        precondition(lines.count >= events)
    }

    /// A copy of `batch` whose records carry positions `shift` later (the bytes are otherwise the same): the same
    /// facts again, for a fold that has already passed the original positions.
    static func shifted(_ batch: EventBatch, by shift: UInt64) -> EventBatch {
        var storage = batch.storage
        storage.withUnsafeMutableBytes { raw in
            for span in batch.spans {
                let at = Int(span.start) + RecordFormat.positionOffset
                let old = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                raw.storeBytes(of: (old + shift).littleEndian, toByteOffset: at, as: UInt64.self)
            }
        }
        return EventBatch(storage: storage, spans: batch.spans, nextPosition: batch.nextPosition + shift)
    }
}

/// Cycles through the batches, one per iteration.
final class Cursor: @unchecked Sendable {
    var next = 0
    func take<T>(_ items: [T]) -> T {
        defer { next += 1 }
        return items[next % items.count]
    }
}

let benchmarks = {
    // The harness alone (take a batch, touch nothing): its own allocations per iteration, to subtract.
    let emptyCursor = Cursor()
    Benchmark("baseline: empty iteration", configuration: perEvent) { benchmark in
        blackHole(emptyCursor.take(Inputs.batches).count)
    } setup: {
        try await Inputs.loadBatches()
    }

    // MARK: Decode

    // The canonical record: the checks and fixed fields every reader uses, straight from the bytes.
    let recordCursor = Cursor()
    Benchmark("decode: RecordView fields", configuration: perEvent) { benchmark in
        let batch = recordCursor.take(Inputs.batches)
        var check: UInt64 = 0
        batch.withRecords { views in
            for v in views {
                precondition(RecordFormat.isWellFormed(body: v.body))
                check &+= v.position &+ v.streamVersion &+ UInt64(bitPattern: v.effectiveTime.microsecondsSinceEpoch)
                check &+= UInt64(v.schemaVersion) &+ UInt64(v.typeBytes.count) &+ UInt64(v.payload.count)
                check &+= UInt64(v.id.uuid.0) &+ UInt64(v.streamBytes.count)
            }
        }
        blackHole(check)
    } setup: {
        try await Inputs.loadBatches()
    }

    // An owned copy (`RecordedEvent`): what `EventBatch.events` and the stream reads hand out.
    let materializeCursor = Cursor()
    Benchmark("decode: RecordView.materialize", configuration: perEvent) { benchmark in
        let batch = materializeCursor.take(Inputs.batches)
        batch.withRecords { views in
            for v in views { blackHole(v.materialize()) }
        }
    } setup: {
        try await Inputs.loadBatches()
    }

    // The views' fast fact decoder (fast paths for the frequent types, the full decoder for the rest).
    let factCursor = Cursor()
    Benchmark("decode: PersonFact.decode", configuration: perEvent) { benchmark in
        let batch = factCursor.take(Inputs.batches)
        var facts = 0
        try batch.withRecords { views in
            for v in views where try PersonFact.decode(v) != nil { facts += 1 }
        }
        blackHole(facts)
    } setup: {
        try await Inputs.loadBatches()
    }

    // The full typed event, strings and all.
    let eventCursor = Cursor()
    Benchmark("decode: RegistryEvent.decode", configuration: perEvent) { benchmark in
        let batch = eventCursor.take(Inputs.batches)
        try batch.withRecords { views in
            for v in views { blackHole(try RegistryEvent.decode(v)) }
        }
    } setup: {
        try await Inputs.loadBatches()
    }

    // MARK: Fold

    // A fold that has already seen every person of the batch: the same ten batches again and again, each time at
    // positions one log length later (so the fold takes them), after one full lap before measuring.
    nonisolated(unsafe) var steady = RegistryFold()
    let steadyCursor = Cursor()
    Benchmark("fold: RegistryFold.apply, persons known", configuration: perEvent) { benchmark in
        let i = steadyCursor.next
        steadyCursor.next += 1
        let lap = UInt64(1 + i / Inputs.batches.count)
        let batch = Inputs.shifted(Inputs.batches[i % Inputs.batches.count], by: lap * UInt64(logEvents))
        benchmark.startMeasurement()
        try batch.withRecords { try steady.apply($0) }
        benchmark.stopMeasurement()
        blackHole(steady.position)
    } setup: {
        try await Inputs.loadBatches()
        steady = RegistryFold()
        for batch in Inputs.batches { try batch.withRecords { try steady.apply($0) } }
    }

    // A fresh fold per iteration (its first persons, tables growing from empty), over the log's first batches.
    let freshCursor = Cursor()
    Benchmark("fold: RegistryFold.apply, fresh fold", configuration: perEvent) { benchmark in
        let batch = freshCursor.take(Inputs.batches)
        var fold = RegistryFold()
        // A batch later in the log still starts at position > 0, so a fresh fold takes it whole.
        try batch.withRecords { try fold.apply($0) }
        blackHole(fold.personCount)
    } setup: {
        try await Inputs.loadBatches()
    }

    // MARK: Import

    // The city's first 1,000 events as JSON lines, with rules, into a fresh in-memory store each iteration.
    let importEvents = 40_000
    Benchmark("import: JSON Lines with rules, fresh store", configuration: perEvent) { benchmark in
        let lines = Inputs.lines[0 ..< perIteration]
        let store = InMemoryEventStore()
        let importer = JSONLinesImporter(store: store, reportsEveryLine: false)
        benchmark.startMeasurement()
        let report = try await importer.importLines(lines)
        benchmark.stopMeasurement()
        if report.acceptedCount != perIteration {
            benchmark.error("expected \(perIteration) lines accepted, got \(report.acceptedCount): \(report)")
        }
        blackHole(report)
    } setup: {
        try await Inputs.loadLines(events: importEvents)
    }

    // The next 1,000 lines each iteration into one store that already holds the city's first 10,000 events.
    nonisolated(unsafe) var growing = InMemoryEventStore()
    let growingCursor = Cursor()
    var importConfiguration = perEvent
    importConfiguration.maxIterations = (importEvents - 10_000) / perIteration - importConfiguration.warmupIterations
    Benchmark("import: JSON Lines with rules, store of 10,000+", configuration: importConfiguration) { benchmark in
        let start = 10_000 + growingCursor.next * perIteration
        growingCursor.next += 1
        guard start + perIteration <= Inputs.lines.count else {
            benchmark.error("ran out of lines at iteration \(growingCursor.next)")
            return
        }
        let importer = JSONLinesImporter(store: growing, reportsEveryLine: false)
        let report = try await importer.importLines(Inputs.lines[start ..< start + perIteration])
        if report.acceptedCount != perIteration {
            benchmark.error("expected \(perIteration) lines accepted, got \(report.acceptedCount): \(report)")
        }
        blackHole(report)
    } setup: {
        try await Inputs.loadLines(events: importEvents)
        growing = InMemoryEventStore()
        let report = try await JSONLinesImporter(store: growing, reportsEveryLine: false).importLines(Inputs.lines[0 ..< 10_000])
        precondition(report.acceptedCount == 10_000, "setup import: \(report)")
    }
}
