import EventLog
import Foundation
import MemoryStore
import RegistryDomain
@testable import RegistryProjections
import Testing

@Suite("Projection engine: rebuild, checkpoint, live")
struct ProjectionEngineTests {
    @Test("Resuming from a checkpoint gives the same state as a rebuild from scratch")
    func checkpointResume() async throws {
        let log = try await CityLog()
        let full = try await ProjectionEngine.rebuild(RegistryFold(), from: log.store)
        for stop in [1, 7, 13, 21] {
            // Fold only the first `stop` records, save, load, then catch up.
            var partial = RegistryFold()
            let batch = try await log.store.read(from: 1, filter: .all, maxCount: stop)
            try batch.withRecords { try partial.apply($0) }
            #expect(partial.position == LogPosition(stop))
            let path = NSTemporaryDirectory() + "checkpoint-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try CheckpointFile.save(partial, anchor: try await CheckpointAnchor.of(log.store, at: partial.position), to: path)
            var restored = try await CheckpointFile.load(RegistryFold.self, from: path, settings: .standard, for: log.store).get()
            #expect(restored == partial)
            let read = try await ProjectionEngine.catchUp(&restored, from: log.store)
            #expect(read == 22 - stop)
            #expect(restored == full, "resumed after \(stop)")
        }
        // A checkpoint taken with other settings is not used.
        let path = NSTemporaryDirectory() + "checkpoint-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try CheckpointFile.save(full, anchor: try await CheckpointAnchor.of(log.store, at: full.position), to: path)
        #expect(CheckpointFile.load(RegistryFold.self, from: path, settings: ProjectionSettings(areaBasis: .hukou)) == nil)
        // A damaged one neither.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 1
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(CheckpointFile.load(RegistryFold.self, from: path, settings: .standard) == nil)
    }

    @Test("A checkpoint is used only on the log it was taken from: not another store, not this one restored from its export")
    func checkpointAnchoredToItsLog() async throws {
        let log = try await CityLog()
        var partial = RegistryFold()
        let batch = try await log.store.read(from: 1, filter: .all, maxCount: 13)
        try batch.withRecords { try partial.apply($0) }
        let path = NSTemporaryDirectory() + "checkpoint-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try CheckpointFile.save(partial, anchor: try await CheckpointAnchor.of(log.store, at: 13), to: path)
        // Owner-only: a checkpoint holds personal data.
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        let same = try await CheckpointFile.load(RegistryFold.self, from: path, settings: .standard, for: log.store).get()
        #expect(same == partial)

        // The same log restored from its export: same positions and content, new recorded times, so new hashes.
        let lines = try await JSONLinesExporter(store: log.store).lines()
        let restored = InMemoryEventStore(clock: { Timestamp(microsecondsSinceEpoch: 1_800_000_000_000_000) })
        _ = try await JSONLinesImporter(store: restored, checkRules: false).importLines(lines)
        #expect(try await restored.headPosition() == log.store.headPosition())
        guard case .failure(let refusal) = await CheckpointFile.load(RegistryFold.self, from: path, settings: .standard, for: restored) else {
            Issue.record("a checkpoint of the log before its restore was used")
            return
        }
        #expect(refusal.reason.contains("hashes"))

        // Another store with more records than the position, and one with fewer.
        let other = InMemoryEventStore()
        for i in 0..<20 {
            try await other.append([ProposedEvent(type: "Counted", effectiveTime: .now, payload: [UInt8(i)])], to: try StreamID("s-1"))
        }
        let otherResult = await CheckpointFile.load(RegistryFold.self, from: path, settings: .standard, for: other)
        #expect((try? otherResult.get()) == nil)
        let short = InMemoryEventStore()
        _ = try await JSONLinesImporter(store: short, checkRules: false).importLines(lines.prefix(5))
        #expect((try? await CheckpointFile.load(RegistryFold.self, from: path, settings: .standard, for: short).get()) == nil)
    }

    @Test("Folding a batch twice changes nothing")
    func idempotentApply() async throws {
        let log = try await CityLog()
        var model = RegistryFold()
        let batch = try await log.store.read(from: 1, filter: .all, maxCount: 100)
        try batch.withRecords { try model.apply($0) }
        let once = model
        try batch.withRecords { try model.apply($0) }
        #expect(model == once)
    }

    @Test("A live projection fed by a subscription matches a full rebuild")
    func live() async throws {
        let log = try await CityLog()
        let live = LiveProjection(RegistryFold())
        let follower = Task { try await live.run(store: log.store, batchSize: 3) }
        // A long wait: the command tests block the cooperative pool (synchronous process waits) and can starve the
        // follower for tens of seconds on a loaded 2-core machine; a hang still fails.
        try await live.waitUntil(position: 22, timeoutSeconds: 300)
        // More facts arrive while it follows.
        let h = CityLog.id("120101", "19991111", "079")
        for day in 1...9 {
            try await log.append(h, day == 1 ? CityLog.registered(h, residence: "120101001003") : CityLog.enrolled(day % 2 == 0 ? .residentMedical : .residentPension), "2024-06-0\(day)")
        }
        let head = try await log.store.headPosition()
        try await live.waitUntil(position: head, timeoutSeconds: 300)
        follower.cancel()
        let rebuilt = try await ProjectionEngine.rebuild(RegistryFold(), from: log.store)
        #expect(live.current == rebuilt)
        #expect(rebuilt.personCount == 8)
    }

    @Test("Progress reports events, position and rate")
    func progress() async throws {
        let log = try await CityLog()
        var reports: [ProjectionProgress] = []
        _ = try await ProjectionEngine.rebuild(RegistryFold(), from: log.store, batchSize: 4) { reports.append($0) }
        #expect(reports.count == 6)
        #expect(reports.last?.events == 22)
        #expect(reports.last?.position == 22)
        #expect(reports.last?.fraction == 1)
        #expect(reports.map(\.events) == reports.map(\.events).sorted())
    }
}
