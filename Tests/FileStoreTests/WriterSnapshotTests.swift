import EventLog
import Foundation
import FuzzSupport
import Testing
@testable import FileStore

/// The writer's snapshot (`writer.snapshot`): an open that uses it has exactly the tables a full scan rebuilds, and a
/// snapshot that does not fit the log (older, newer after a cut, another store's, damaged, another version) is
/// advanced or refused, never trusted wrongly.
@Suite("File store writer snapshot")
struct WriterSnapshotTests {
    static let segmentSize = 64 << 10
    static let snapshotName = WriterSnapshot.fileName

    static func options(interval: Int = 1) -> FileEventStore.Options {
        FileEventStore.Options(segmentSize: segmentSize, snapshotInterval: interval)
    }

    static func event(_ i: Int, _ salt: String = "") -> ProposedEvent {
        ProposedEvent(id: UUID(), type: "Counted", effectiveTime: Timestamp(microsecondsSinceEpoch: Int64(i)),
                      payload: Array("event number \(i) \(salt)".utf8), metadata: EventMetadata(actor: "test"))
    }

    /// Appends `count` events to random streams (1 to 3 per call), with exact expected versions.
    static func appendRandom(_ store: FileEventStore, count: Int, streams: Int, random: inout Mutator) async throws -> [UUID] {
        var ids: [UUID] = []
        var done = 0
        while done < count {
            let stream = try StreamID("p-\(Int.random(in: 0..<streams, using: &random))")
            let n = min(count - done, 1 + Int.random(in: 0..<3, using: &random))
            let events = (0..<n).map { event(done + $0) }
            let current = try await store.streamVersion(of: stream)
            try await store.append(events, to: stream, expecting: current.map { .exactly($0) } ?? .noStream)
            ids += events.map(\.id)
            done += n
        }
        return ids
    }

    /// What a writer holds, comparable.
    struct Tables: Equatable {
        var head: LogPosition
        var headHash: RecordHash
        var versions: [StreamVersionTable.Key: StreamVersion]
        var filter: [UInt64]
        var activeIDs: [UUID]
    }

    static func tables(_ store: FileEventStore) async -> Tables {
        let writer = store.writer!
        return await withCheckedContinuation { c in
            store.writerQueue.async {
                var versions: [StreamVersionTable.Key: StreamVersion] = [:]
                writer.versions.forEach { versions[$0] = $1 }
                c.resume(returning: Tables(head: writer.head, headHash: writer.headHash, versions: versions,
                                           filter: writer.ids.filter.words, activeIDs: writer.ids.activeIDs))
            }
        }
    }

    /// The tables of a writing open that scans every segment (the snapshot moved away for it, then put back).
    static func rebuilt(_ dir: TemporaryDirectory) async throws -> Tables {
        let path = dir.file(snapshotName)
        let saved = try? Data(contentsOf: URL(fileURLWithPath: path))
        try? FileManager.default.removeItem(atPath: path)
        let store = try FileEventStore(directory: dir.path, options: options(interval: .max))
        #expect(store.recovery.snapshotPosition == nil)
        let tables = await tables(store)
        try await store.close()
        try? FileManager.default.removeItem(atPath: path)
        if let saved { try saved.write(to: URL(fileURLWithPath: path)) }
        return tables
    }

    static func read(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
    static func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    @Test("Tables from the snapshot equal a full rebuild, after random appends and several segment rolls")
    func snapshotEqualsRebuild() async throws {
        var random = Mutator(seed: 0x5EED_0015)
        for round in 0..<3 {
            let dir = TemporaryDirectory("snapshot-equal")
            defer { dir.remove() }
            let store = try FileEventStore(directory: dir.path, options: Self.options())
            _ = try await Self.appendRandom(store, count: 600 + Int.random(in: 0..<900, using: &random), streams: 50 + round * 100, random: &random)
            try await store.close()
            #expect(FileManager.default.fileExists(atPath: dir.file("00000002.seg")))
            let attributes = try FileManager.default.attributesOfItem(atPath: dir.file(Self.snapshotName))
            #expect((attributes[.posixPermissions] as? Int) == 0o600)

            // A temporary file left by a snapshot or id-table write that a crash cut short is removed by the next
            // writer; a repair's copy of a segment's kept records (`.seg.tmp`) is not: it may be their only copy here.
            try Self.write([1, 2, 3], dir.file(Self.snapshotName + ".tmp"))
            try Self.write([1, 2, 3], dir.file("00000001.ids.tmp"))
            try Self.write([1, 2, 3], dir.file("00000009.seg.tmp"))
            let reopened = try FileEventStore(directory: dir.path, options: Self.options(interval: .max))
            #expect(!FileManager.default.fileExists(atPath: dir.file(Self.snapshotName + ".tmp")))
            #expect(!FileManager.default.fileExists(atPath: dir.file("00000001.ids.tmp")))
            #expect(FileManager.default.fileExists(atPath: dir.file("00000009.seg.tmp")))
            try FileManager.default.removeItem(atPath: dir.file("00000009.seg.tmp"))
            #expect(reopened.recovery.snapshotPosition == reopened.recovery.records)
            #expect(reopened.recovery.snapshotRefused == nil)
            let fromSnapshot = await Self.tables(reopened)
            try await reopened.close()
            #expect(fromSnapshot.versions.count > 40)
            #expect(fromSnapshot == (try await Self.rebuilt(dir)), "round \(round)")

            // More appends on top (the last snapshot is the one of the last seal, if any), then a close without a
            // new snapshot: the next open advances the snapshot from its position.
            let more = try FileEventStore(directory: dir.path, options: Self.options(interval: .max))
            _ = try await Self.appendRandom(more, count: 200 + Int.random(in: 0..<1200, using: &random), streams: 400, random: &random)
            let head = try await more.headPosition()
            try await more.close()
            let again = try FileEventStore(directory: dir.path, options: Self.options(interval: .max))
            let position = try #require(again.recovery.snapshotPosition)
            #expect(position < head)
            let advanced = await Self.tables(again)
            try await again.close()
            #expect(advanced == (try await Self.rebuilt(dir)), "round \(round)")
        }
    }
}

extension WriterSnapshotTests {
    /// A store of a few segments, closed with a snapshot at its head.
    static func store(_ dir: TemporaryDirectory, count: Int = 1500, random: inout Mutator) async throws -> LogPosition {
        let store = try FileEventStore(directory: dir.path, options: options())
        _ = try await appendRandom(store, count: count, streams: 120, random: &random)
        let head = try await store.headPosition()
        try await store.close()
        #expect(FileManager.default.fileExists(atPath: dir.file("00000003.seg")))
        return head
    }

    /// Opens for writing and checks the tables against a full rebuild; returns the open's recovery.
    static func openAndCompare(_ dir: TemporaryDirectory, _ comment: Comment) async throws -> FileEventStore.Recovery {
        let store = try FileEventStore(directory: dir.path, options: options(interval: .max))
        let recovery = store.recovery
        let tables = await tables(store)
        try await store.close()
        #expect(tables == (try await rebuilt(dir)), comment)
        return recovery
    }

    @Test("An older snapshot (a crash after more records were written) is advanced from its position")
    func olderSnapshotIsAdvanced() async throws {
        var random = Mutator(seed: 0x01DE)
        let dir = TemporaryDirectory("snapshot-older")
        defer { dir.remove() }
        let first = try await Self.store(dir, random: &random)
        let old = try Self.read(dir.file(Self.snapshotName))
        // More records, some segments sealed after the snapshot; then the old snapshot is all that is left.
        let store = try FileEventStore(directory: dir.path, options: Self.options(interval: .max))
        _ = try await Self.appendRandom(store, count: 1200, streams: 300, random: &random)
        try await store.close()
        try Self.write(old, dir.file(Self.snapshotName))
        let recovery = try await Self.openAndCompare(dir, "older snapshot")
        #expect(recovery.snapshotPosition == first)
        #expect(recovery.snapshotRefused == nil)
        #expect(recovery.records > first + 1000)
    }

    @Test("A snapshot newer than the log (a cut, or a log written again past it) is refused and the tables rebuilt")
    func newerSnapshotIsRefused() async throws {
        var random = Mutator(seed: 0xC07)
        let dir = TemporaryDirectory("snapshot-newer")
        defer { dir.remove() }
        let head = try await Self.store(dir, random: &random)
        let stale = try Self.read(dir.file(Self.snapshotName))
        // Cut the last segment back to a few records: the snapshot's last record is gone.
        let last = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".seg") }.sorted().last!
        let bytes = try Self.read(dir.file(last))
        var offset = SegmentFormat.headerSize
        for _ in 0..<3 { offset += 8 + Int(UInt32(littleEndian: bytes[offset..<(offset + 4)].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })) }
        try Self.write(Array(bytes.prefix(offset + 5)), dir.file(last))  // and a torn piece of the fourth
        let cut = try await Self.openAndCompare(dir, "cut")
        #expect(cut.snapshotPosition == nil)
        #expect(cut.snapshotRefused?.contains("position \(head)") == true)
        #expect(cut.tornBytesCut == 5)
        #expect(cut.records < head)

        // The same positions written again with other records: the record there now has another chain hash.
        let store = try FileEventStore(directory: dir.path, options: Self.options(interval: .max))
        _ = try await Self.appendRandom(store, count: Int(head - cut.records) + 10, streams: 40, random: &random)
        #expect(try await store.headPosition() > head)
        try await store.close()
        try Self.write(stale, dir.file(Self.snapshotName))
        let rewritten = try await Self.openAndCompare(dir, "written again")
        #expect(rewritten.snapshotPosition == nil)
        #expect(rewritten.snapshotRefused != nil)
    }

    @Test("A log cut back and written again with records of the same sizes: the record at the snapshot's offset and position has another chain hash, and is refused")
    func sameOffsetAndPositionOtherHashIsRefused() async throws {
        let dir = TemporaryDirectory("snapshot-same-size")
        defer { dir.remove() }
        let stream = try StreamID("s")
        let store = try FileEventStore(directory: dir.path, options: Self.options())
        for i in 0..<20 { try await store.append([Self.event(i, "A")], to: stream) }
        try await store.close()
        let stale = try Self.read(dir.file(Self.snapshotName))
        // Keep the first 18 records (cut at a frame boundary), then write records 19 and 20 again, as long as before.
        let bytes = try Self.read(dir.file("00000001.seg"))
        var offset = SegmentFormat.headerSize
        for _ in 0..<18 { offset += 8 + Int(UInt32(littleEndian: bytes[offset..<(offset + 4)].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })) }
        try Self.write(Array(bytes.prefix(offset)), dir.file("00000001.seg"))
        let again = try FileEventStore(directory: dir.path, options: Self.options(interval: .max))
        #expect(again.recovery.snapshotRefused != nil)
        for i in 18..<20 { try await again.append([Self.event(i, "B")], to: stream) }
        try await again.close()
        #expect(try Self.read(dir.file("00000001.seg")).count == bytes.count)
        try Self.write(stale, dir.file(Self.snapshotName))
        let recovery = try await Self.openAndCompare(dir, "same sizes")
        #expect(recovery.snapshotPosition == nil)
        #expect(recovery.snapshotRefused?.contains("not the one it covered") == true, "\(recovery.snapshotRefused ?? "not refused")")
    }

    @Test("Another store's snapshot, a damaged or cut snapshot, and one of another format version are refused")
    func foreignDamagedAndOtherVersionSnapshotsAreRefused() async throws {
        var random = Mutator(seed: 0xF0E)
        let dir = TemporaryDirectory("snapshot-refused")
        let other = TemporaryDirectory("snapshot-other")
        defer { dir.remove(); other.remove() }
        _ = try await Self.store(dir, random: &random)
        _ = try await Self.store(other, random: &random)
        let good = try Self.read(dir.file(Self.snapshotName))
        #expect(try await Self.openAndCompare(dir, "good").snapshotPosition != nil)

        var cases: [(String, [UInt8], String)] = []
        cases.append(("another store's", try Self.read(other.file(Self.snapshotName)), "another store"))
        var flipped = good
        flipped[good.count / 2] ^= 0x10
        cases.append(("a flipped body bit", flipped, "checksum"))
        var header = good
        header[20] ^= 0x01
        cases.append(("a flipped header bit", header, "checksum"))
        cases.append(("cut short", Array(good.prefix(good.count - 24)), "lengths"))
        cases.append(("cut inside its header", Array(good.prefix(100)), "shorter than its header"))
        var version = good
        version[8] = 2
        let crc = CRC32C.checksum(Array(version[0..<(WriterSnapshot.headerSize - 4)]))
        withUnsafeBytes(of: crc.littleEndian) { for i in 0..<4 { version[WriterSnapshot.headerSize - 4 + i] = $0[i] } }
        cases.append(("another format version", version, "version 2"))
        for (label, bytes, reason) in cases {
            try Self.write(bytes, dir.file(Self.snapshotName))
            let recovery = try await Self.openAndCompare(dir, Comment(rawValue: label))
            #expect(recovery.snapshotPosition == nil, Comment(rawValue: label))
            #expect(recovery.snapshotRefused?.contains(reason) == true, "\(label): \(recovery.snapshotRefused ?? "not refused")")
        }
    }

    @Test("After a repair cut the log before the snapshot's position, the snapshot is refused")
    func snapshotAfterRepairIsRefused() async throws {
        var random = Mutator(seed: 0x4E9)
        let dir = TemporaryDirectory("snapshot-repair")
        defer { dir.remove() }
        let head = try await Self.store(dir, random: &random)
        let stale = try Self.read(dir.file(Self.snapshotName))
        // Damage a record in the middle of the second segment; repair sets it and what follows aside.
        var bytes = try Self.read(dir.file("00000002.seg"))
        bytes[bytes.count / 2] ^= 0x01
        try Self.write(bytes, dir.file("00000002.seg"))
        let report = try await FileEventStore.repair(directory: dir.path, options: Self.options())
        #expect(report.keptRecords < head)
        try Self.write(stale, dir.file(Self.snapshotName))
        let recovery = try await Self.openAndCompare(dir, "after repair")
        #expect(recovery.snapshotPosition == nil)
        #expect(recovery.snapshotRefused != nil)
    }

    @Test("After an open from the snapshot, expected versions and known ids are checked as after a full scan")
    func checksBehaveTheSameAfterASnapshotOpen() async throws {
        var random = Mutator(seed: 0xE4E)
        let dir = TemporaryDirectory("snapshot-checks")
        defer { dir.remove() }
        let store = try FileEventStore(directory: dir.path, options: Self.options())
        let earlyStream = try StreamID("early")
        let early = Self.event(-1, "early")
        try await store.append([early], to: earlyStream, expecting: .noStream)
        _ = try await Self.appendRandom(store, count: 1500, streams: 80, random: &random)
        let lateStream = try StreamID("late")
        let late = Self.event(-2, "late")
        try await store.append([late], to: lateStream, expecting: .noStream)
        try await store.close()

        for useSnapshot in [true, false] {
            if !useSnapshot { try FileManager.default.removeItem(atPath: dir.file(Self.snapshotName)) }
            let reopened = try FileEventStore(directory: dir.path, options: Self.options(interval: .max))
            #expect((reopened.recovery.snapshotPosition != nil) == useSnapshot)
            // The early record lies in a sealed segment, the late one in the active segment.
            let head = try await reopened.headPosition()
            let earlyRecord = try #require(try await reopened.readStream(earlyStream).first)
            #expect(earlyRecord.position < (try await reopened.readStream(lateStream).first!.position))
            // A stale expected version is refused, for a stream of the snapshot and one of the active segment.
            for stream in [earlyStream, lateStream, try StreamID("p-7")] {
                await #expect(throws: EventLogError.self, "\(stream) useSnapshot \(useSnapshot)") {
                    try await reopened.append([Self.event(0)], to: stream, expecting: .noStream)
                }
            }
            let current = try #require(try await reopened.streamVersion(of: try StreamID("p-7")))
            await #expect(throws: EventLogError.self) {
                try await reopened.append([Self.event(0)], to: try StreamID("p-7"), expecting: .exactly(current - 1))
            }
            // A re-appended id is found, wherever it lies, and nothing is written again.
            let again = try await reopened.append([early], to: earlyStream, expecting: .noStream)
            #expect(again.wasAlreadyAppended)
            let lateAgain = try await reopened.append([late], to: lateStream, expecting: .noStream)
            #expect(lateAgain.wasAlreadyAppended)
            // The same id under another stream is refused.
            await #expect(throws: EventLogError.self) { try await reopened.append([early], to: try StreamID("elsewhere")) }
            #expect(try await reopened.headPosition() == head)
            // A new stream and an exact version go through.
            try await reopened.append([Self.event(1)], to: try StreamID("new-\(useSnapshot)"), expecting: .noStream)
            try await reopened.append([Self.event(2)], to: try StreamID("p-7"), expecting: .exactly(current))
            try await reopened.close()
        }
    }
}
