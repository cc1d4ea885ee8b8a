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

    func copyReference() async throws -> (rows: Int, bytes: Int, seconds: Double) {
        let store = try await open()
        let (copy, seconds) = try await Measure.seconds { try await store.copyOutReference() }
        try await store.close()
        return (copy.rows, copy.bytes, seconds)
    }

    func rawRead() async throws -> (count: Int, seconds: Double) {
        let store = try await open()
        let (count, seconds) = try await Measure.seconds { () async throws -> Int in
            var n = 0
            var check: UInt64 = 0
            for try await batch in store.readAll(batchSize: 16_384) {
                batch.withRecords { views in for v in views { check &+= v.position } }
                n += batch.count
            }
            precondition(check != 0 || n == 0)
            return n
        }
        try await store.close()
        return (count, seconds)
    }

    func replay() async throws -> (events: Int, seconds: Double, cpu: Double, peak: Int) {
        let store = try await open()
        Measure.resetPeak()
        let cpu = Measure.cpuSeconds
        let (model, seconds) = try await Measure.seconds {
            try await ProjectionEngine.rebuild(RegistryModel(), from: store, batchSize: 16_384)
        }
        let used = Measure.cpuSeconds - cpu
        let peak = Measure.peakResidentBytes
        try await store.close()
        return (Int(model.position), seconds, used, peak)
    }

    /// Appends of `batch` events per call from `writers` concurrent tasks, through the normal append path.
    func batchedAppends(writers: Int, batches: Int, batch: Int) async throws -> (events: Int, seconds: Double) {
        let store = try await open()
        let (_, seconds) = try await Measure.seconds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<writers {
                    group.addTask {
                        let tag = UUID().uuidString.prefix(8)
                        for b in 0..<batches {
                            let requests = (0..<batch).map { k in
                                StreamAppend(stream: try! StreamID("batched-\(tag)-\(w)-\(b)-\(k / 5)"), expected: .any,
                                             events: [ProposedEvent(id: FileLogBenchmark.id(k, salt: UInt64(w << 20 | b)), type: "Batched",
                                                                    effectiveTime: .now, payload: FileLogBenchmark.payload(k))])
                            }
                            for r in try await store.append(requests) { _ = try r.get() }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        try await store.close()
        return (writers * batches * batch, seconds)
    }
}
