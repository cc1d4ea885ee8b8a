import EventLog
@testable import FileStore
import Foundation
import Testing

/// Damage of every kind, made by hand in real segment and index files: never cut as a torn tail when acknowledged
/// records follow it, never returned as data, never appended after, and repairable.
@Suite("File store damage: torn tail or damage, hash chain, forged indexes, headers, repair")
struct FileEventStoreDamageTests {
    static let streams = ["s-0", "s-1", "s-2"]

    static func event(_ i: Int) -> ProposedEvent { FileEventStoreRecoveryTests.event(i) }

    /// A store of `count` records, record *i* in stream `s-(i % 3)`, appended 30 requests per call (one sync each,
    /// to keep the suite light); returns what was written.
    static func fill(_ dir: TemporaryDirectory, count: Int, segmentSize: Int = 256 << 20) async throws -> [RecordedEvent] {
        let store = try FileEventStore(directory: dir.path, options: .init(segmentSize: segmentSize))
        var i = 0
        while i < count {
            let requests = try (i..<min(count, i + 30)).map { j in
                StreamAppend(stream: try StreamID(streams[j % 3]), expected: .any, events: [event(j)])
            }
            for result in try await store.append(requests) { _ = try result.get() }
            i += requests.count
        }
        let all = try await FileEventStoreRecoveryTests.readAll(store)
        try await store.close()
        return all
    }

    /// The frames of a segment file: offset and body length of each.
    static func frames(_ bytes: [UInt8]) -> [(offset: Int, length: Int)] {
        var out: [(Int, Int)] = []
        var o = SegmentFormat.headerSize
        while o + 8 <= bytes.count {
            let length = Int(bytes[o]) | Int(bytes[o + 1]) << 8 | Int(bytes[o + 2]) << 16 | Int(bytes[o + 3]) << 24
            guard o + 8 + length <= bytes.count else { break }
            out.append((o, length))
            o += 8 + length
        }
        return out
    }

    static func storeLE(_ value: UInt32, into bytes: inout [UInt8], at offset: Int) {
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
    }

    /// Edits the last payload byte of a frame and recomputes its CRC-32C: the frame is valid, the chain is not.
    static func editPayload(_ bytes: inout [UInt8], frame: (offset: Int, length: Int)) {
        bytes[frame.offset + 8 + frame.length - 1] ^= 0x01
        storeLE(CRC32C.checksum(Array(bytes[(frame.offset + 8)..<(frame.offset + 8 + frame.length)])), into: &bytes, at: frame.offset + 4)
    }

    /// The code of the error `body` throws, nil when it throws none.
    static func code(_ body: () throws -> Any) -> EventLogError.Code? {
        do {
            _ = try body()
            return nil
        } catch {
            return (error as? EventLogError)?.code ?? EventLogError.Code(rawValue: "other: \(error)")
        }
    }

    static func read(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
    static func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    /// Reads the whole log; the positions read and the error that stopped it, if any.
    static func readAll(_ store: FileEventStore) async -> ([LogPosition], EventLogError?) {
        var seen: [LogPosition] = []
        var next: LogPosition = 1
        do {
            while true {
                let batch = try await store.read(from: next, filter: .all, maxCount: 100)
                if batch.isEmpty { return (seen, nil) }
                seen += batch.events.map(\.position)
                next = batch.nextPosition
            }
        } catch let error as EventLogError {
            return (seen, error)
        } catch {
            return (seen, EventLogError(.ioFailure, "\(error)"))
        }
    }

    @Test("Any flipped bit of a length field, with valid records after it, is damage: nothing is cut, appends are refused")
    func flippedLengthBitIsDamage() async throws {
        let source = TemporaryDirectory("length-source")
        defer { source.remove() }
        _ = try await Self.fill(source, count: 6)
        let original = try Self.read(source.file("00000001.seg"))
        let frames = Self.frames(original)
        #expect(frames.count == 6)
        for record in [0, 3, 4] {
            for bit in 0..<32 {
                let dir = TemporaryDirectory("length")
                defer { dir.remove() }
                var bytes = original
                bytes[frames[record].offset + bit / 8] ^= UInt8(1 << (bit % 8))
                try Self.write(bytes, dir.file("00000001.seg"))
                for _ in 0..<2 {  // and again: the first open cut nothing
                    let store = try FileEventStore(directory: dir.path)
                    let damage = try #require(store.recovery.damage, "record \(record) bit \(bit)")
                    #expect(damage.code == .corruptRecord)
                    #expect(damage.position == LogPosition(record + 1), "record \(record) bit \(bit): \(damage)")
                    #expect(damage.location?.contains("00000001.seg offset \(frames[record].offset)") == true, "\(damage)")
                    #expect(store.recovery.tornBytesCut == 0)
                    #expect(try await store.headPosition() == LogPosition(record))
                    await #expect(throws: EventLogError.self) { try await store.append([Self.event(9)], to: try StreamID("s-0")) }
                    let (seen, error) = await Self.readAll(store)
                    #expect(seen == (0..<record).map { LogPosition($0 + 1) })
                    #expect(error?.position == LogPosition(record + 1) || (record == 0 && error == nil))
                    #expect(await LogVerifier.verify(store).failure?.position == LogPosition(record + 1))
                    try await store.close()
                    #expect(try Self.read(dir.file("00000001.seg")) == bytes, "the file was changed")
                }
            }
        }
    }

    @Test("Garbage after the last record is a torn tail; garbage or zeroes followed by records is damage")
    func garbageAfterOrBetween() async throws {
        let source = TemporaryDirectory("garbage-source")
        defer { source.remove() }
        _ = try await Self.fill(source, count: 6)
        let original = try Self.read(source.file("00000001.seg"))
        let frames = Self.frames(original)
        var generator = SystemRandomNumberGenerator()
        let garbage = (0..<300).map { _ in UInt8.random(in: 1...255, using: &generator) }
        // After the last record: nothing valid follows, so it is the unsynced tail of a crash and is cut.
        do {
            let dir = TemporaryDirectory("garbage-after")
            defer { dir.remove() }
            try Self.write(original + garbage, dir.file("00000001.seg"))
            let store = try FileEventStore(directory: dir.path)
            #expect(store.recovery.damage == nil)
            #expect(store.recovery.tornBytesCut == garbage.count)
            #expect(try await store.append([Self.event(7)], to: try StreamID("s-0")).positions == 7...7)
            #expect(await LogVerifier.verify(store).failure == nil)
            try await store.close()
        }
        // A whole, valid record in the wrong place after the last one (a copy of record 2): never a torn write.
        do {
            let dir = TemporaryDirectory("copied-record")
            defer { dir.remove() }
            let copy = Array(original[frames[1].offset..<(frames[1].offset + 8 + frames[1].length)])
            try Self.write(original + copy, dir.file("00000001.seg"))
            let store = try FileEventStore(directory: dir.path)
            let damage = try #require(store.recovery.damage)
            #expect(damage.position == 7)
            #expect(store.recovery.tornBytesCut == 0)
            try await store.close()
            #expect(try Self.read(dir.file("00000001.seg")) == original + copy)
        }
        // Between records 3 and 4, garbage or zeroes: records follow, so it is damage at position 4.
        for filler in [garbage, [UInt8](repeating: 0, count: 300)] {
            let dir = TemporaryDirectory("garbage-between")
            defer { dir.remove() }
            let cut = frames[3].offset
            try Self.write(Array(original[..<cut]) + filler + Array(original[cut...]), dir.file("00000001.seg"))
            let store = try FileEventStore(directory: dir.path)
            let damage = try #require(store.recovery.damage)
            #expect(damage.position == 4)
            #expect(damage.message.contains("follows"), "\(damage)")
            #expect(store.recovery.tornBytesCut == 0)
            #expect(try await store.headPosition() == 3)
            try await store.close()
        }
    }

    @Test("repair sets the damaged segment aside, keeps every whole record before the damage, records itself and says what it did")
    func repairSetsDamageAside() async throws {
        let dir = TemporaryDirectory("repair")
        defer { dir.remove() }
        let written = try await Self.fill(dir, count: 6)
        var bytes = try Self.read(dir.file("00000001.seg"))
        let frames = Self.frames(bytes)
        bytes[frames[3].offset + 8 + 40] ^= 0x10  // record 4 fails its CRC; 5 and 6 follow
        try Self.write(bytes, dir.file("00000001.seg"))
        let damaged = bytes

        let report = try await FileEventStore.repair(directory: dir.path, actor: "operator-7")
        #expect(report.damage?.position == 4)
        #expect(report.keptRecords == 3)
        #expect(report.setAside == ["00000001.seg"])
        #expect(report.rewritten == "00000001.seg")
        #expect(report.recordedAt == 4)
        let folder = try #require(report.folder)
        #expect(report.lines.contains { $0.contains("moved 00000001.seg to \(folder)/") })
        // The damaged segment is kept, unchanged, in the folder, owner-only.
        #expect(try Self.read(dir.file(folder + "/00000001.seg")) == damaged)
        #expect(try FileManager.default.attributesOfItem(atPath: dir.file(folder))[.posixPermissions] as? Int == 0o700)

        let store = try FileEventStore(directory: dir.path)
        #expect(store.recovery.damage == nil)
        let all = try await FileEventStoreRecoveryTests.readAll(store)
        #expect(all.prefix(3).map(\.id) == written.prefix(3).map(\.id))
        #expect(all.count == 4)
        let fact = try #require(all.last)
        #expect(fact.stream.rawValue == FileEventStore.repairStream)
        #expect(fact.type == "LogRepaired")
        #expect(fact.metadata.actor == "operator-7")
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(fact.payload)) as? [String: Any])
        #expect(payload["damagedAt"] as? Int == 4)
        #expect(payload["keptUpTo"] as? Int == 3)
        #expect(payload["setAsideIn"] as? String == folder)
        #expect(try await store.append([Self.event(9)], to: try StreamID("s-0")).positions == 5...5)
        #expect(await LogVerifier.verify(store).failure == nil)
        try await store.close()

        // A whole log is left as it is.
        let again = try await FileEventStore.repair(directory: dir.path)
        #expect(again.damage == nil)
        #expect(again.keptRecords == 5)
        #expect(again.setAside.isEmpty)
    }

    @Test("An edited record with its CRC recomputed in the active segment: found on open, never read, never appended after")
    func editedRecordInTheTail() async throws {
        let source = TemporaryDirectory("edit-source")
        defer { source.remove() }
        _ = try await Self.fill(source, count: 6)
        let original = try Self.read(source.file("00000001.seg"))
        let frames = Self.frames(original)
        for record in [0, 2, 5] {
            let dir = TemporaryDirectory("edit")
            defer { dir.remove() }
            var bytes = original
            Self.editPayload(&bytes, frame: frames[record])
            try Self.write(bytes, dir.file("00000001.seg"))
            for readOnly in [false, true] {
                let store = try FileEventStore(directory: dir.path, options: .init(readOnly: readOnly))
                let damage = try #require(store.recovery.damage, "record \(record)")
                #expect(damage.code == .hashChainBroken)
                #expect(damage.position == LogPosition(record + 1))
                let (seen, _) = await Self.readAll(store)
                #expect(seen == (0..<record).map { LogPosition($0 + 1) })
                await #expect(throws: EventLogError.self) { try await store.append([Self.event(9)], to: try StreamID("s-0")) }
                let report = await LogVerifier.verify(store)
                #expect(report.failure?.code == .hashChainBroken)
                #expect(report.intactUpTo == LogPosition(record))
                try await store.close()
            }
        }
    }

    @Test("An edited record with its CRC recomputed in a sealed segment: reads and stream reads fail with hash-chain-broken",
          arguments: [10, 11])  // the first and the second of a pair of records hashed together
    func editedRecordInASealedSegment(frame: Int) async throws {
        let dir = TemporaryDirectory("edit-sealed")
        defer { dir.remove() }
        let written = try await Self.fill(dir, count: 2000, segmentSize: 64 << 10)
        #expect(dir.size("00000002.seg") > 0)
        var bytes = try Self.read(dir.file("00000001.seg"))
        let frames = Self.frames(bytes)
        Self.editPayload(&bytes, frame: frames[frame])
        try Self.write(bytes, dir.file("00000001.seg"))
        let edited = written[frame]

        let store = try FileEventStore(directory: dir.path, options: .init(segmentSize: 64 << 10))
        // The log read (export, views) stops before the edited record.
        var seen: [LogPosition] = []
        do {
            for try await batch in store.readAll() { seen += batch.events.map(\.position) }
            Issue.record("the edited record was read")
        } catch let error as EventLogError {
            #expect(error.code == .hashChainBroken)
            #expect(error.position == LogPosition(frame + 1))
        }
        #expect(seen == Array(1...LogPosition(frame)))
        // The stream read (history) too.
        do {
            _ = try await store.readStream(edited.stream)
            Issue.record("the edited record was read through its stream")
        } catch let error as EventLogError {
            #expect(error.code == .hashChainBroken)
            #expect(error.position == LogPosition(frame + 1))
        }
        // A reader that starts after it takes the previous record's hash: records after it still read.
        let later = try await store.read(from: LogPosition(frame + 2), filter: .all, maxCount: 5)
        #expect(later.events.map(\.position) == Array(LogPosition(frame + 2)...LogPosition(frame + 6)))
        // Once a read found it, the writer refuses to append after it.
        await #expect(throws: EventLogError.self) { try await store.append([Self.event(9)], to: try StreamID("s-0")) }
        let report = await LogVerifier.verify(store)
        #expect(report.failure?.code == .hashChainBroken)
        #expect(report.intactUpTo == LogPosition(frame))
        try await store.close()

        let repaired = try await FileEventStore.repair(directory: dir.path)
        #expect(repaired.keptRecords == LogPosition(frame))
        #expect(repaired.setAside.first == "00000001.seg")
        let reopened = try FileEventStore(directory: dir.path, options: .init(segmentSize: 64 << 10))
        #expect(try await reopened.headPosition() == LogPosition(frame + 1))
        #expect(await LogVerifier.verify(reopened).failure == nil)
        try await reopened.close()
    }

    @Test("Right after a segment roll (an empty active segment), the last sealed record is checked against its predecessor on open")
    func editedLastRecordBeforeAnEmptyActiveSegment() async throws {
        let dir = TemporaryDirectory("edit-last-sealed")
        defer { dir.remove() }
        let options = FileEventStore.Options(segmentSize: 64 << 10)
        let store = try FileEventStore(directory: dir.path, options: options)
        var count = 0
        while !FileManager.default.fileExists(atPath: dir.file("00000002.seg")) {
            try await store.append([Self.event(count)], to: try StreamID(Self.streams[count % 3]))
            count += 1
        }
        try await store.close()
        // The roll runs after the commit is acknowledged, so the last append may have gone into the new segment:
        // cut that one back to its header (as if the roll had come first) so the active segment is empty.
        let fresh = try Self.read(dir.file("00000002.seg"))
        try Self.write(Array(fresh.prefix(SegmentFormat.headerSize)), dir.file("00000002.seg"))
        var bytes = try Self.read(dir.file("00000001.seg"))
        let frames = Self.frames(bytes)
        count = frames.count
        try #require(count >= 2)
        Self.editPayload(&bytes, frame: frames[count - 1])
        try Self.write(bytes, dir.file("00000001.seg"))
        for readOnly in [false, true] {
            let reopened = try FileEventStore(directory: dir.path, options: .init(segmentSize: 64 << 10, readOnly: readOnly))
            let damage = try #require(reopened.recovery.damage, "read-only: \(readOnly)")
            #expect(damage.code == .hashChainBroken)
            #expect(damage.position == LogPosition(count))
            await #expect(throws: EventLogError.self) { try await reopened.append([Self.event(0)], to: try StreamID("s-0")) }
            try await reopened.close()
        }
    }

    /// Rewrites an index file's body with `edit`, recomputing both its CRCs.
    static func forgeIndex(_ path: String, _ edit: (inout [UInt8], _ count: Int) -> Void) throws {
        var bytes = try read(path)
        let count = Int(bytes[32]) | Int(bytes[33]) << 8 | Int(bytes[34]) << 16
        var body = Array(bytes[64...])
        edit(&body, count)
        bytes = Array(bytes[..<64]) + body
        storeLE(CRC32C.checksum(body), into: &bytes, at: 48)
        storeLE(CRC32C.checksum(Array(bytes[0..<60])), into: &bytes, at: 60)
        try write(bytes, path)
    }

    @Test("A forged index (offsets swapped, or records filed under another stream, CRCs recomputed) never hides a fact")
    func forgedIndexes() async throws {
        for forgery in ["offsets", "keys"] {
            let dir = TemporaryDirectory("forged-index")
            defer { dir.remove() }
            let written = try await Self.fill(dir, count: 2000, segmentSize: 64 << 10)
            try Self.forgeIndex(dir.file("00000001.idx")) { body, count in
                switch forgery {
                case "offsets":  // records 1 and 2 (streams s-0 and s-1) swap places
                    for i in 0..<4 { body.swapAt(i, 4 + i) }
                default:  // record 0 (s-0) and record 1 (s-1) swap keys, each list still in order
                    let records = 12 * count
                    let a = (0..<count).first { i in body[records + 4 * i] == 0 && body[records + 4 * i + 1] == 0 }!
                    let b = (0..<count).first { i in body[records + 4 * i] == 1 && body[records + 4 * i + 1] == 0 }!
                    for i in 0..<4 { body.swapAt(records + 4 * a + i, records + 4 * b + i) }
                }
            }
            let store = try FileEventStore.openReadOnly(directory: dir.path)
            for name in Self.streams {
                let read = try await store.readStream(try StreamID(name))
                #expect(read.map(\.id) == written.filter { $0.stream.rawValue == name }.map(\.id), "\(forgery) \(name)")
            }
            let first = try await store.read(from: 1, filter: .all, maxCount: 3)
            #expect(first.events.map(\.id) == written.prefix(3).map(\.id))
            let second = try await store.read(from: 2, filter: .all, maxCount: 1)
            #expect(second.events.map(\.id) == [written[1].id])
            // verify compares every index file with its segment.
            let report = await LogVerifier.verify(store)
            #expect(report.failure?.location?.hasSuffix("00000001.idx") == true, "\(forgery): \(String(describing: report.failure))")
            try await store.close()
            // A writing open rewrites an index that does not match its segment.
            let writer = try FileEventStore(directory: dir.path, options: .init(segmentSize: 64 << 10))
            #expect(writer.recovery.indexesRebuilt >= 1)
            #expect(await LogVerifier.verify(writer).failure == nil)
            try await writer.close()
        }
    }

    @Test("A reader given another store's index file (or a stale one) scans that segment in memory: no damage, every record, nothing written")
    func foreignIndexForAReader() async throws {
        let dir = TemporaryDirectory("foreign-index")
        defer { dir.remove() }
        let other = TemporaryDirectory("foreign-index-other")
        defer { other.remove() }
        let written = try await Self.fill(dir, count: 2000, segmentSize: 96 << 10)
        // The other store's segments are smaller: its first index lists fewer records, ending earlier.
        _ = try await Self.fill(other, count: 2000, segmentSize: 64 << 10)
        let foreign = try Data(contentsOf: URL(fileURLWithPath: other.file("00000001.idx")))
        #expect(foreign != (try Data(contentsOf: URL(fileURLWithPath: dir.file("00000001.idx")))))
        try foreign.write(to: URL(fileURLWithPath: dir.file("00000001.idx")))
        let listing = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        func contents() throws -> [Data] { try listing.map { try Data(contentsOf: URL(fileURLWithPath: dir.file($0))) } }
        let before = try contents()

        let store = try FileEventStore.openReadOnly(directory: dir.path)
        #expect(store.recovery.damage == nil, "\(String(describing: store.recovery.damage))")
        #expect(try await store.headPosition() == 2000)
        #expect(try await FileEventStoreRecoveryTests.readAll(store).map(\.id) == written.map(\.id))
        for name in Self.streams {
            let read = try await store.readStream(try StreamID(name))
            #expect(read.map(\.id) == written.filter { $0.stream.rawValue == name }.map(\.id), "\(name)")
        }
        // verify still says the index file is not its segment's.
        let report = await LogVerifier.verify(store)
        #expect(report.failure?.location?.hasSuffix("00000001.idx") == true, "\(String(describing: report.failure))")
        try await store.close()
        // The reader wrote nothing: the foreign index is still there, every file as it was.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == listing)
        #expect(try contents() == before)
    }

    @Test("A damaged segment header is damage (a flipped version byte too); only a whole header of another version is another format")
    func damagedHeader() async throws {
        let source = TemporaryDirectory("header-source")
        defer { source.remove() }
        _ = try await Self.fill(source, count: 2000, segmentSize: 64 << 10)
        for (segment, byte) in [("00000001.seg", 8), ("00000002.seg", 8), ("00000002.seg", 20), ("00000002.seg", 63)] {
            let dir = TemporaryDirectory("header")
            defer { dir.remove() }
            for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
                try FileManager.default.copyItem(atPath: source.file(name), toPath: dir.file(name))
            }
            var bytes = try Self.read(dir.file(segment))
            bytes[byte] ^= 0x02
            try Self.write(bytes, dir.file(segment))
            let store = try FileEventStore.openReadOnly(directory: dir.path)
            let damage = try #require(store.recovery.damage, "\(segment) byte \(byte)")
            #expect(damage.code == .corruptRecord)
            #expect(damage.location?.hasSuffix(segment) == true)
            let report = await LogVerifier.verify(store)
            #expect(report.failure?.code == .corruptRecord)
            try await store.close()
            let writer = try FileEventStore(directory: dir.path, options: .init(segmentSize: 64 << 10))
            await #expect(throws: EventLogError.self) { try await writer.append([Self.event(1)], to: try StreamID("s-0")) }
            try await writer.close()
        }
        // A header whose checksum holds but whose version is newer: another format.
        let dir = TemporaryDirectory("header-version")
        defer { dir.remove() }
        _ = try await Self.fill(dir, count: 3)
        var bytes = try Self.read(dir.file("00000001.seg"))
        bytes[8] = 2
        Self.storeLE(CRC32C.checksum(Array(bytes[0..<60])), into: &bytes, at: 60)
        try Self.write(bytes, dir.file("00000001.seg"))
        #expect(Self.code { try FileEventStore.openReadOnly(directory: dir.path) } == .unsupportedFormat)
    }

    @Test("Opening for reading needs a store; a writer creates one, owner-only, and says so")
    func storeNotFoundAndModes() async throws {
        let dir = TemporaryDirectory("no-store")
        defer { dir.remove() }
        #expect(Self.code { try FileEventStore.openReadOnly(directory: dir.path) } == .storeNotFound)
        #expect(Self.code { try FileEventStore.openReadOnly(directory: "/proc") } == .storeNotFound)
        #expect(Self.code { try FileEventStore.openReadOnly(directory: dir.path + "/missing") } == .storeNotFound)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)

        let path = dir.path + "/new/store"
        let store = try FileEventStore(directory: path, options: .init(segmentSize: 64 << 10))
        #expect(store.recovery.created)
        for i in stride(from: 0, to: 1200, by: 30) { try await store.append((i..<(i + 30)).map(Self.event), to: try StreamID("s-0")) }
        try await store.close()
        let fm = FileManager.default
        #expect(try fm.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o700)
        let names = try fm.contentsOfDirectory(atPath: path)
        #expect(names.contains("00000001.idx") && names.contains("LOCK"))
        for name in names {
            #expect(try fm.attributesOfItem(atPath: path + "/" + name)[.posixPermissions] as? Int == 0o600, "\(name)")
        }
        let again = try FileEventStore(directory: path, options: .init(segmentSize: 64 << 10))
        #expect(!again.recovery.created)
        try await again.close()
    }
}
