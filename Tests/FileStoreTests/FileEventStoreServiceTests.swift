import EventLog
import FileStore
import Foundation
import InMemoryLogging
import Logging
import MetricsTestKit
import ServiceLifecycle
import Testing

/// The file store as a service: opened off the cooperative pool, logging what recovery found (never a personal
/// value), reporting its metrics, and closing on graceful shutdown.
@Suite("File store: service, logs and metrics")
struct FileEventStoreServiceTests {
    static func event(_ i: Int) -> ProposedEvent {
        ProposedEvent(type: "Counted", effectiveTime: Timestamp(microsecondsSinceEpoch: Int64(i)),
                      payload: Array("event number \(i)".utf8), metadata: EventMetadata(actor: "test"))
    }

    @Test("opening logs a torn tail cut and index files rebuilt, with counts and no record contents")
    func recoveryIsLogged() async throws {
        let dir = TemporaryDirectory("logged")
        defer { dir.remove() }
        // Small segments, so that sealed ones have index files.
        let small = FileEventStore.Options(segmentSize: 64 << 10)
        let first = try await FileEventStore.open(directory: dir.path, options: small)
        let stream = try StreamID("person-120101198503170024")
        for i in stride(from: 0, to: 1500, by: 100) { try await first.append((i..<i + 100).map(Self.event), to: stream) }
        try await first.close()
        let last = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".seg") }.sorted().last)
        let handle = try #require(FileHandle(forWritingAtPath: dir.file(last)))
        handle.seekToEndOfFile()
        handle.write(Data(count: 100))
        try handle.close()
        for index in try FileManager.default.contentsOfDirectory(atPath: dir.path) where index.hasSuffix(".idx") {
            try FileManager.default.removeItem(atPath: dir.file(index))
        }

        let logs = InMemoryLogHandler()
        var options = small
        options.logger = Logger(label: "test") { _ in logs }
        let store = try await FileEventStore.open(directory: dir.path, options: options)
        #expect(store.recovery.tornBytesCut == 100)
        let entries = logs.entries
        let torn = try #require(entries.first { $0.message.description.contains("torn tail") })
        #expect(torn.level == .warning)
        #expect(torn.metadata["bytes_cut"] == "100")
        #expect(entries.contains { $0.level == .notice && $0.message.description.contains("rebuilt stream indexes") })
        let everything = entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(!everything.contains("120101198503170024"), "no citizen ID in the logs")
        #expect(!everything.contains("event number"), "no record contents in the logs")
        try await store.close()
    }

    @Test("the task-local logger is used when the options name none")
    func taskLocalLogger() async throws {
        let dir = TemporaryDirectory("tasklocal")
        defer { dir.remove() }
        let seed = try await FileEventStore.open(directory: dir.path)
        try await seed.append([Self.event(0)], to: try StreamID("s-1"))
        try await seed.close()
        let handle = try #require(FileHandle(forWritingAtPath: dir.file("00000001.seg")))
        handle.seekToEndOfFile()
        handle.write(Data(count: 10))
        try handle.close()
        let logs = InMemoryLogHandler()
        let store = try await withLogger(Logger(label: "task") { _ in logs }) { _ in
            try await FileEventStore.open(directory: dir.path)
        }
        #expect(logs.entries.contains { $0.message.description.contains("torn tail") })
        try await store.close()
    }

    @Test("appends, group size and reads are counted")
    func metrics() async throws {
        let dir = TemporaryDirectory("metrics")
        defer { dir.remove() }
        let metrics = TestMetrics()
        let store = try await FileEventStore.open(directory: dir.path, options: .init(metricsFactory: metrics))
        let stream = try StreamID("s-1")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<20 { group.addTask { try await store.append([Self.event(i), Self.event(i + 100)], to: stream) } }
            try await group.waitForAll()
        }
        var read = 0
        for try await batch in store.readAll() { read += batch.count }
        #expect(read == 40)
        #expect(metrics.counterTotal(label: EventLogMetrics.appendedEvents, dimensions: [("store", "file")]) == 40)
        #expect(try metrics.expectTimer(EventLogMetrics.appendLatency, [("store", "file")]).values.count == 20)
        let groups = try metrics.expectRecorder(EventLogMetrics.commitGroupSize, [("store", "file")]).values
        #expect(groups.reduce(0, +) == 20, "every call in exactly one commit")
        #expect(!groups.isEmpty && groups.count <= 20)
        #expect(metrics.counterTotal(label: EventLogMetrics.readEvents, dimensions: [("store", "file")]) >= 40)
        try await store.close()
        do {
            try await store.append([Self.event(99)], to: stream)
        } catch {}
        #expect(metrics.counterTotal(label: EventLogMetrics.failedAppends, dimensions: [("store", "file")]) == 1)
    }

    @Test("run() keeps the store open until cancellation, then closes it")
    func serviceLifecycle() async throws {
        let dir = TemporaryDirectory("service")
        defer { dir.remove() }
        let store = try await FileEventStore.open(directory: dir.path)
        let running = Task { try await store.run() }
        try await store.append([Self.event(1)], to: try StreamID("s-1"))
        running.cancel()
        try await running.value
        await #expect(throws: EventLogError.self) { try await store.headPosition() }
    }
}
