import EventLog
import Foundation
import RegistryProjections

/// The measurements made the same way on every store.
enum StoreMeasurements {
    /// Reads the whole log, touching every record, without projections.
    static func rawRead<S: EventStore>(_ store: S) async throws -> (count: Int, seconds: Double) {
        try await Measure.seconds { () async throws -> Int in
            var n = 0
            var check: UInt64 = 0
            for try await batch in store.readAll(batchSize: 16_384) {
                batch.withRecords { views in for v in views { check &+= v.position &+ UInt64(v.payload.count) } }
                n += batch.count
            }
            precondition(check != 0 || n == 0)
            return n
        }
    }

    /// Replays the log into all the registry's views at once (`staged`: in two stages on two cores; otherwise each
    /// batch folded whole, as on one core).
    static func replay<S: EventStore>(_ store: S, staged: Bool = ProcessInfo.processInfo.activeProcessorCount > 1) async throws
        -> (events: Int, seconds: Double, cpu: Double, peak: Int, model: RegistryFold) {
        Measure.resetPeak()
        let cpu = Measure.cpuSeconds
        let (model, seconds) = try await Measure.seconds { () async throws -> RegistryFold in
            var model = RegistryFold()
            try await ProjectionEngine.catchUp(&model, from: store, batchSize: 16_384, staged: staged)
            return model
        }
        return (Int(model.position), seconds, Measure.cpuSeconds - cpu, Measure.peakResidentBytes, model)
    }

    /// Durable appends of `batch` events per call from `writers` concurrent tasks, through the normal append path.
    static func batchedAppends<S: EventStore>(_ store: S, writers: Int, batches: Int, batch: Int) async throws -> (events: Int, seconds: Double) {
        let (_, seconds) = try await Measure.seconds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<writers {
                    group.addTask {
                        let tag = UUID().uuidString.prefix(8)
                        for b in 0..<batches {
                            let requests = (0..<batch).map { k in
                                StreamAppend(stream: try! StreamID("batched-\(tag)-\(w)-\(b)-\(k / 5)"), expected: .any,
                                             events: [ProposedEvent(id: FileLogBenchmark.id(k, salt: UInt64(w << 20 | b) | 0xB << 40), type: "Batched",
                                                                    effectiveTime: .now, payload: FileLogBenchmark.payload(k))])
                            }
                            for r in try await store.append(requests) { _ = try r.get() }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        return (writers * batches * batch, seconds)
    }
}
