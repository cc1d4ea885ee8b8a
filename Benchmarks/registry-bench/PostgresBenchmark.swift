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
