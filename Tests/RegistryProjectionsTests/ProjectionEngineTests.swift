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

    @Test("A checkpoint whose records and index are whole but not ones the fold could have made is refused, never used")
    func checkpointRecordsChecked() async throws {
        let log = try await CityLog()
        let full = try await ProjectionEngine.rebuild(RegistryFold(), from: log.store)
        let good = full.checkpointBytes()
        func restored(_ bytes: [UInt8]) -> RegistryFold? {
            bytes.withUnsafeBytes { RegistryFold(checkpoint: $0, settings: .standard) }
        }
        #expect(restored(good) == full)
        // The state as written: version, fingerprint, position, folded, layout, person count, slot count, then the
        // person records and the index slots as they lie in memory.
        let records = 4 + 8 * 6, stride = MemoryLayout<PersonRecord>.stride
        let slotsAt = records + full.persons.count * stride, slotStride = MemoryLayout<PersonIndex.Slot>.stride
        let standing = MemoryLayout<PersonRecord>.offset(of: \.standing)!
        // Where type 1's status lies: the first byte that differs between a standing with it and one without.
        let enrolled = PersonStanding(hukou: 0, residence: 0, agency: 0, coverage: UInt64(Coverage.Status.enrolled.rawValue) << 8, flags: [])
        let statusByte = withUnsafeBytes(of: enrolled) { a in
            withUnsafeBytes(of: PersonStanding()) { b in (0..<a.count).first { a[$0] != b[$0] }! }
        }
        let masks = MemoryLayout<PersonStanding>.offset(of: \.flags)! + MemoryLayout<PersonStanding.Flags>.size
        var kinds: [(String, [UInt8])] = []
        var badStatus = good
        badStatus[records + standing + statusByte] = 0xEE  // insurance type 1's status: no such status
        kinds.append(("a status byte no status has", badStatus))
        var badMask = good
        badMask[records + standing + masks] ^= 0x7F  // the masks kept beside the statuses
        kinds.append(("masks that disagree with the statuses", badMask))
        var zeroKey = good
        for i in 0..<8 { zeroKey[records + i] = 0 }
        kinds.append(("a person with the key 0", zeroKey))
        var badCase = good
        let openCase = MemoryLayout<PersonRecord>.offset(of: \.openCase)!
        for i in 0..<4 { badCase[records + openCase + i] = 0x7F }
        kinds.append(("an open case beyond the cases", badCase))
        let occupied = (0..<full.index.capacity).filter { i in
            (0..<8).contains { good[slotsAt + i * slotStride + $0] != 0 }
        }
        var emptied = good
        for i in 0..<slotStride { emptied[slotsAt + occupied[0] * slotStride + i] = 0 }
        kinds.append(("a person missing from the index", emptied))
        // A slot moved to an empty slot before its home one: the key can no longer be found by probing.
        let empty = (0..<full.index.capacity).first { i in !occupied.contains(i) && !occupied.contains((i + 1) % full.index.capacity) }!
        var moved = good
        for i in 0..<slotStride {
            moved[slotsAt + empty * slotStride + i] = good[slotsAt + occupied[0] * slotStride + i]
            moved[slotsAt + occupied[0] * slotStride + i] = 0
        }
        if occupied[0] != empty { kinds.append(("an index slot where probing cannot find it", moved)) }
        var twice = good
        for i in 0..<slotStride { twice[slotsAt + empty * slotStride + i] = good[slotsAt + occupied[0] * slotStride + i] }
        kinds.append(("a key in the index twice", twice))
        for (kind, bytes) in kinds {
            let refused = restored(bytes) == nil
            #expect(refused, "\(kind)")
        }
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
