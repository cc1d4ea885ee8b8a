import EventLog
import FileStore
import Foundation
import RegistryProjections
import RegistrySimulation

/// Whole-log figures for the file store without the domain: load, raw read, the plain sequential read of the
/// same bytes, and durable appends.
struct FileLogBenchmark {
    let directory: String
    let events: Int

    static func payload(_ i: Int) -> [UInt8] {
        var p = [UInt8](repeating: 0, count: 64)
        withUnsafeBytes(of: UInt64(i).littleEndian) { raw in for (k, b) in raw.enumerated() { p[k] = b } }
        return p
    }

    /// A deterministic, well-spread event id (UUID() reads the kernel's random source: 3.6 µs each here).
    static func id(_ n: Int, salt: UInt64 = 0x5EED) -> UUID {
        var a = UInt64(n) &* 0x9E37_79B9_7F4A_7C15 ^ salt
        a ^= a >> 29
        let b = a &* 0xBF58_476D_1CE4_E5B9 ^ UInt64(n)
        return withUnsafeBytes(of: (a, b)) { UUID(uuid: $0.load(as: uuid_t.self)) }
    }

    /// Loads the synthetic city into a fresh file store through the normal append path.
    func load() async throws -> (events: Int, seconds: Double) {
        try? FileManager.default.removeItem(atPath: directory)
        let store = try FileEventStore(directory: directory)
        let simulation = CitySimulation(.events(events))
        let (count, seconds) = try await Measure.seconds { try await simulation.load(into: store, batchEvents: 10_000) }
        try await store.close()
        return (count, seconds)
    }

    /// Opening the store for writing (recovery of the tail, the writer's version table and id index) and for reading,
    /// each with the head read, wall and CPU seconds.
    func opens() async throws -> (writer: (seconds: Double, cpu: Double), reader: (seconds: Double, cpu: Double)) {
        var cpu = Measure.cpuSeconds
        let (_, writer) = try await Measure.seconds {
            let store = try FileEventStore(directory: directory)
            _ = try await store.headPosition()
            try await store.close()
        }
        let writerCPU = Measure.cpuSeconds - cpu
        cpu = Measure.cpuSeconds
        let (_, reader) = try await Measure.seconds {
            let store = try FileEventStore.openReadOnly(directory: directory)
            _ = try await store.headPosition()
            try await store.close()
        }
        return ((writer, writerCPU), (reader, Measure.cpuSeconds - cpu))
    }

    /// Replays the log into all the registry's views at once.
    func replay(staged: Bool = ProcessInfo.processInfo.activeProcessorCount > 1) async throws
        -> (events: Int, seconds: Double, cpu: Double, peak: Int, model: RegistryFold) {
        let store = try FileEventStore.openReadOnly(directory: directory)
        let result = try await StoreMeasurements.replay(store, staged: staged)
        try await store.close()
        return result
    }

    func rawRead() async throws -> (count: Int, seconds: Double) {
        let store = try FileEventStore.openReadOnly(directory: directory)
        let result = try await StoreMeasurements.rawRead(store)
        try await store.close()
        return result
    }

    /// Reads every segment file from start to end in 4 MiB pieces: the physical reference.
    func plainRead() throws -> (bytes: Int, seconds: Double) {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".seg") }.sorted()
        let start = DispatchTime.now().uptimeNanoseconds
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 4 << 20)
        var check: UInt8 = 0
        for name in names {
            let fd = open(directory + "/" + name, O_RDONLY)
            defer { close(fd) }
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if n <= 0 { break }
                total += n
                check ^= buffer[n - 1]
            }
        }
        _ = check
        return (total, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Durable single-event appends from `writers` concurrent tasks: latency of each.
    func singleAppends(writers: Int, perWriter: Int) async throws -> (latencies: [Double], seconds: Double) {
        let store = try FileEventStore(directory: directory)
        let (lat, seconds) = try await Measure.seconds {
            try await withThrowingTaskGroup(of: [Double].self) { group in
                for w in 0..<writers {
                    group.addTask {
                        var lat: [Double] = []
                        let stream = try StreamID("latency-\(w)-\(UUID().uuidString.prefix(8))")
                        for i in 0..<perWriter {
                            let e = ProposedEvent(id: Self.id(i, salt: UInt64(w) << 40 | 0x51), type: "Single", effectiveTime: .now, payload: Self.payload(i))
                            let start = DispatchTime.now().uptimeNanoseconds
                            try await store.append([e], to: stream)
                            lat.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                        }
                        return lat
                    }
                }
                var all: [Double] = []
                for try await l in group { all += l }
                return all.sorted()
            }
        }
        try await store.close()
        return (lat, seconds)
    }

    /// Durable appends of `batch` events per call from `writers` concurrent tasks.
    func batchedAppends(writers: Int, batches: Int, batch: Int) async throws -> (events: Int, seconds: Double) {
        let store = try FileEventStore(directory: directory)
        let result = try await StoreMeasurements.batchedAppends(store, writers: writers, batches: batches, batch: batch)
        try await store.close()
        return result
    }
}
