import EventLog
import Foundation
import PostgresStore
import RegistryProjections
import RegistrySimulation

/// The same figures for the PostgreSQL store: load through the normal append path, raw read, replay into the
/// three views, and `COPY … TO STDOUT (FORMAT binary)` of the same rows as the physical reference.
struct PostgresBenchmark {
    let connectionString: String
    let schema: String
    let events: Int

    func open() async throws -> PostgresEventStore {
        try await PostgresEventStore(.init(connectionString: connectionString, schema: schema, readerConnections: 2))
    }

    func load() async throws -> (events: Int, seconds: Double) {
        let store = try await open()
        defer { Task { try? await store.close() } }
        let simulation = CitySimulation(.events(events))
        return try await Measure.seconds { try await simulation.load(into: store, batchEvents: 10_000) }
    }

    /// The bulk path: `importLog` into an empty log of its own (one COPY stream, indexes built at the end).
    func bulkImport() async throws -> (events: Int, seconds: Double) {
        let store = try await PostgresEventStore(.init(connectionString: connectionString, schema: schema, readerConnections: 1))
        let simulation = CitySimulation(.events(events))
        let (summary, seconds) = try await Measure.seconds { try await store.importLog(simulation.batchSequence(batchEvents: 20_000)) }
        try await store.close()
        return (summary.events, seconds)
    }

    /// The physical reference of the bulk load: the same rows encoded first, then one binary
    /// `COPY … FROM STDIN (FREEZE)` into a keyless table of the same columns (created, loaded and committed in the
    /// timed part).
    func copyInReference() async throws -> (rows: Int, bytes: Int, seconds: Double) {
        let store = try await PostgresEventStore(.init(connectionString: connectionString, schema: schema + "_ref", readerConnections: 1))
        let simulation = CitySimulation(.events(events))
        let r = try await store.copyInReference(simulation.batchSequence(batchEvents: 20_000))
        try await store.close()
        return (r.rows, r.bytes, r.seconds)
    }

    /// Drops this benchmark's log (its whole schema), for another bulk import into an empty one.
    func dropLog() async throws {
        let connection = try PGConnection(connectionString)
        try connection.execute("DROP SCHEMA \"\(schema)\" CASCADE")
    }

    /// CPU seconds used so far by the server's processes (every `postgres` process, plus the children the
    /// postmaster has reaped), from `/proc`: the server's side of a measurement is the difference.
    static func serverCPU() -> Double {
        var ticks = 0
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for pid in entries where pid.allSatisfy(\.isNumber) {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")"), stat[..<close].hasSuffix("(postgres") || stat.contains("(postgres)")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // After the name: state is field 3, so utime (14), stime (15), cutime (16), cstime (17) are 11...14.
            guard fields.count > 14 else { continue }
            for i in 11...14 { ticks += Int(fields[i]) ?? 0 }
        }
        return Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func copyReference() async throws -> (rows: Int, bytes: Int, seconds: Double) {
        let store = try await open()
        let (copy, seconds) = try await Measure.seconds { try await store.copyOutReference() }
        try await store.close()
        return (copy.rows, copy.bytes, seconds)
    }

    func rawRead() async throws -> (count: Int, seconds: Double) {
        let store = try await open()
        let result = try await StoreMeasurements.rawRead(store)
        try await store.close()
        return result
    }

    func replay() async throws -> (events: Int, seconds: Double, cpu: Double, peak: Int) {
        let store = try await open()
        let r = try await StoreMeasurements.replay(store)
        try await store.close()
        return (r.events, r.seconds, r.cpu, r.peak)
    }

    /// Appends of `batch` events per call from `writers` concurrent tasks, through the normal append path.
    func batchedAppends(writers: Int, batches: Int, batch: Int) async throws -> (events: Int, seconds: Double) {
        let store = try await open()
        let result = try await StoreMeasurements.batchedAppends(store, writers: writers, batches: batches, batch: batch)
        try await store.close()
        return result
    }
}
