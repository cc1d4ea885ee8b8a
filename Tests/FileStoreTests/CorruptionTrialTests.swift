import FuzzSupport
import EventLog
import Foundation
import Testing
@testable import FileStore

/// The corruption trials: a real three-segment store, damaged in a seeded way of one of fifteen kinds (a flipped
/// bit or a set byte anywhere in a segment — header, length, CRC, body —, a length bit flipped in the active segment
/// so that it runs past the end, a truncation in the last records, a zeroed page, garbage appended, a record edited
/// with its CRC recomputed, two records swapped, a record duplicated, an index damaged, missing, stale or forged
/// (entries swapped, CRCs recomputed), a segment missing, two segments swapped), then opened and read whole and
/// verified. Each trial must end one of three ways: every record returned (only when the damage touched no record:
/// an index, which is checked or rebuilt, or bytes after the last record, cut as a torn tail); a torn tail cut
/// (only when the damage lies in the last record of the last segment or after it, where nothing valid follows); or
/// damage detected — opening fails or reports it, a read stops with it, or the verifier finds it — naming the
/// file. Never a record the store did not write, never a record lost in silence, never a crash. Long run:
/// `scripts/torture corruption`.
@Suite("Corruption trials", .serialized)
struct CorruptionTrialTests {
    enum Kind: Int, CaseIterable {
        case bitFlip, byteSet, truncateTail, zeroPage, garbageAppended, editWithCRC, swapRecords, duplicateRecord,
             indexDamaged, indexMissing, indexStale, segmentMissing, segmentsSwapped,
             /// A bit of a record's length field in the active segment flipped so that the length runs past the end
             /// of the file (the trust issue's fault: read as a torn tail, every later record was cut).
             lengthPastEnd,
             /// An index file with two records' stream entries swapped and its CRCs recomputed (well-formed, wrong).
             indexForged
    }

    /// A store's files and what it holds.
    struct Source {
        var files: [String: [UInt8]]
        var segments: [String]
        var indexes: [String]
        var events: [RecordedEvent]
        var staleIndexes: [String: [UInt8]]
    }

    static func event(_ i: Int, salt: String) -> ProposedEvent {
        ProposedEvent(id: UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", i + (salt == "trial" ? 0 : 1000)))!, type: "Trial", effectiveTime: Timestamp(microsecondsSinceEpoch: Int64(i)),
                      payload: Array("\(salt) \(i) ".utf8) + [UInt8](repeating: UInt8(i % 251), count: 1500),
                      metadata: EventMetadata(actor: "trial"))
    }

    static func build(_ count: Int, salt: String) async throws -> (files: [String: [UInt8]], events: [RecordedEvent]) {
        let dir = TemporaryDirectory("trial-source")
        defer { dir.remove() }
        // A fixed clock and fixed ids: the same files on every run, so a seed replays exactly.
        let store = try FileEventStore(directory: dir.path, options: .init(segmentSize: 64 << 10, clock: { Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000) }))
        for i in 0..<count { try await store.append([event(i, salt: salt)], to: try StreamID("s-\(i % 3)")) }
        var events: [RecordedEvent] = []
        for try await batch in store.readAll() { events += batch.events }
        try await store.close()
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".seg") || name.hasSuffix(".idx") {
            files[name] = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.file(name))))
        }
        return (files, events)
    }

    static func source() async throws -> Source {
        let (files, events) = try await build(100, salt: "trial")
        let (other, _) = try await build(100, salt: "stale-other-content")
        let segments = files.keys.filter { $0.hasSuffix(".seg") }.sorted()
        let indexes = files.keys.filter { $0.hasSuffix(".idx") }.sorted()
        precondition(segments.count >= 3 && !indexes.isEmpty, "the trial store needs three segments and an index")
        return Source(files: files, segments: segments, indexes: indexes, events: events,
                      staleIndexes: other.filter { $0.key.hasSuffix(".idx") })
    }

    /// The frames of a segment: offset and total size (frame header included).
    static func frames(_ bytes: [UInt8]) -> [(offset: Int, size: Int)] {
        var out: [(Int, Int)] = []
        var o = SegmentFormat.headerSize
        while o + 8 <= bytes.count {
            let length = Int(bytes[o]) | Int(bytes[o + 1]) << 8 | Int(bytes[o + 2]) << 16 | Int(bytes[o + 3]) << 24
            guard o + 8 + length <= bytes.count else { break }
            out.append((o, 8 + length))
            o += 8 + length
        }
        return out
    }

    /// What a trial did to the files, and where.
    struct Damage {
        var kind: Kind
        var file: String
        /// The first byte of the segment changed, nil when no segment byte changed (index kinds).
        var offset: Int?
        /// Whether every change lies in the last frame of the last segment or after it: a torn tail may be cut.
        var inTail: Bool
        /// Whether the change leaves every record intact (index kinds, garbage after the last record).
        var recordsIntact: Bool
    }

    static func damage(_ files: inout [String: [UInt8]], _ source: Source, _ kind: Kind, _ random: inout Mutator) -> Damage {
        let last = source.segments.last!
        let lastFrames = frames(source.files[last]!)
        let tailStart = lastFrames.last!.offset
        func inTail(_ file: String, _ offset: Int) -> Bool { file == last && offset >= tailStart }
        switch kind {
        case .bitFlip, .byteSet:
            let file = source.segments.randomElement(using: &random)!
            var bytes = files[file]!
            let at = Int.random(in: 0..<bytes.count, using: &random)
            if kind == .bitFlip { bytes[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random) }
            else { bytes[at] ^= UInt8.random(in: 1...255, using: &random) }
            files[file] = bytes
            return Damage(kind: kind, file: file, offset: at, inTail: inTail(file, at), recordsIntact: false)
        case .truncateTail:
            let from = lastFrames[max(0, lastFrames.count - 3)].offset
            let at = Int.random(in: from..<files[last]!.count, using: &random)
            files[last]!.removeSubrange(at...)
            // A cut inside the last three records: the records after the cut are gone for good, as after a crash.
            return Damage(kind: kind, file: last, offset: at, inTail: true, recordsIntact: false)
        case .zeroPage:
            let file = source.segments.randomElement(using: &random)!
            let pages = (files[file]!.count + 4095) / 4096
            let page = Int.random(in: 0..<pages, using: &random)
            let range = (page * 4096)..<min(files[file]!.count, page * 4096 + 4096)
            guard files[file]![range].contains(where: { $0 != 0 }) else { return damage(&files, source, kind, &random) }
            for i in range { files[file]![i] = 0 }
            // Zeroes in the last segment with no whole record after them are what a crash leaves of an unsynced
            // write (several records of one group commit, its pages reaching the disk out of order): nothing valid
            // follows, so they may be cut as a torn tail. Zeroes with a whole record after them are damage.
            let end = file == last && range.upperBound > tailStart
            return Damage(kind: kind, file: file, offset: range.lowerBound, inTail: end, recordsIntact: false)
        case .garbageAppended:
            let garbage = (0..<Int.random(in: 1...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            let at = files[last]!.count
            files[last]! += garbage
            return Damage(kind: kind, file: last, offset: at, inTail: true, recordsIntact: true)
        case .editWithCRC:
            let file = source.segments.randomElement(using: &random)!
            let frame = frames(files[file]!).randomElement(using: &random)!
            let at = frame.offset + Int.random(in: 8 + RecordFormat.fixedSize..<frame.size, using: &random)
            files[file]![at] ^= UInt8.random(in: 1...255, using: &random)
            let crc = CRC32C.checksum(Array(files[file]![(frame.offset + 8)..<(frame.offset + frame.size)]))
            for i in 0..<4 { files[file]![frame.offset + 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
            // A whole, valid frame whose chain hash no longer follows: never a torn tail.
            return Damage(kind: kind, file: file, offset: frame.offset, inTail: false, recordsIntact: false)
        case .swapRecords, .duplicateRecord:
            let file = source.segments.randomElement(using: &random)!
            let fs = frames(files[file]!)
            let i = Int.random(in: 0..<(fs.count - 1), using: &random)
            let a = Array(files[file]![fs[i].offset..<(fs[i].offset + fs[i].size)])
            let b = Array(files[file]![fs[i + 1].offset..<(fs[i + 1].offset + fs[i + 1].size)])
            let replacement = kind == .swapRecords ? b + a : a + a + b
            files[file]!.replaceSubrange(fs[i].offset..<(fs[i + 1].offset + fs[i + 1].size), with: replacement)
            return Damage(kind: kind, file: file, offset: fs[i].offset, inTail: false, recordsIntact: false)
        case .indexDamaged:
            let file = source.indexes.randomElement(using: &random)!
            let at = Int.random(in: 0..<files[file]!.count, using: &random)
            files[file]![at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            return Damage(kind: kind, file: file, offset: nil, inTail: false, recordsIntact: true)
        case .indexMissing:
            let file = source.indexes.randomElement(using: &random)!
            files[file] = nil
            return Damage(kind: kind, file: file, offset: nil, inTail: false, recordsIntact: true)
        case .indexStale:
            let file = source.indexes.randomElement(using: &random)!
            guard let stale = source.staleIndexes[file] else { files[file] = nil; return Damage(kind: kind, file: file, offset: nil, inTail: false, recordsIntact: true) }
            files[file] = stale
            return Damage(kind: kind, file: file, offset: nil, inTail: false, recordsIntact: true)
        case .segmentMissing:
            let file = source.segments.dropLast().randomElement(using: &random)!
            files[file] = nil
            return Damage(kind: kind, file: file, offset: 0, inTail: false, recordsIntact: false)
        case .lengthPastEnd:
            let fs = frames(files[last]!)
            let frame = fs.randomElement(using: &random)!
            let length = UInt32(frame.size - 8)
            let room = files[last]!.count - frame.offset - 8
            // The lowest bit that, set, takes the length past the end of the file, or a higher one.
            let bits = (0..<31).filter { length & (1 << $0) == 0 && Int(length | (1 << $0)) > room }
            let bit = bits.randomElement(using: &random)!
            files[last]![frame.offset + bit / 8] ^= UInt8(1) << UInt8(bit % 8)
            return Damage(kind: kind, file: last, offset: frame.offset, inTail: frame.offset == tailStart, recordsIntact: false)
        case .indexForged:
            let file = source.indexes.randomElement(using: &random)!
            var bytes = files[file]!
            let h = SegmentFormat.headerSize
            let count = (bytes.count - h) / 16
            func u64(_ at: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) } }
            func u32(_ at: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) } }
            func put<T: FixedWidthInteger>(_ v: T, _ at: Int) { for i in 0..<(T.bitWidth / 8) { bytes[at + i] = UInt8(truncatingIfNeeded: v >> (8 * i)) } }
            var pairs = (0..<count).map { (key: u64(h + count * 4 + $0 * 8), record: u32(h + count * 12 + $0 * 4)) }
            // Swap the records of two entries of different streams, keep each stream's records ascending (the file
            // stays well-formed), then recompute the body's and the header's CRCs: only the entries are wrong.
            let a = Int.random(in: 0..<count, using: &random)
            let b = pairs.indices.filter { pairs[$0].key != pairs[a].key }.randomElement(using: &random)!
            (pairs[a].record, pairs[b].record) = (pairs[b].record, pairs[a].record)
            pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.record < $1.record }
            for (i, p) in pairs.enumerated() { put(p.key, h + count * 4 + i * 8); put(p.record, h + count * 12 + i * 4) }
            put(CRC32C.checksum(Array(bytes[h...])), 48)
            put(CRC32C.checksum(Array(bytes[0..<(h - 4)])), h - 4)
            files[file] = bytes
            return Damage(kind: kind, file: file, offset: nil, inTail: false, recordsIntact: true)
        case .segmentsSwapped:
            let i = Int.random(in: 0..<(source.segments.count - 1), using: &random)
            let (a, b) = (source.segments[i], source.segments[i + 1])
            (files[a], files[b]) = (files[b], files[a])
            return Damage(kind: kind, file: a, offset: 0, inTail: false, recordsIntact: false)
        }
    }

    /// How a trial ended.
    enum Outcome: String, CaseIterable { case allReturned = "all returned", tornTailCut = "torn tail cut", detected = "detected" }

    /// Runs one trial; records a failed expectation for any outcome the damage does not allow.
    static func trial(_ number: Int, _ source: Source, _ random: inout Mutator) async throws -> (Kind, Outcome) {
        var files = source.files
        let kind = Kind.allCases.randomElement(using: &random)!
        let damage = damage(&files, source, kind, &random)
        let dir = TemporaryDirectory("trial")
        defer { dir.remove() }
        for (name, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: dir.file(name))) }
        let what = "trial \(number): \(kind) in \(damage.file) at \(damage.offset.map(String.init) ?? "-")"
        if damage.recordsIntact && damage.offset == nil {
            // An index is read as it is only by a read-only store (a writing open compares it with its segment and
            // rewrites it): each stream read through it must be the stream's records, all of them.
            // A damaged or stale index may be reported as damage (as below); a forged or missing one must not be, and
            // none may give a stream's records wrong.
            do {
                let reader = try FileEventStore.openReadOnly(directory: dir.path)
                for stream in Set(source.events.map(\.stream)).sorted(by: { $0.rawValue < $1.rawValue }) {
                    let read = try await reader.readStream(stream, from: 0, direction: .forward, maxCount: .max)
                    let written = source.events.filter { $0.stream == stream }
                    #expect(read == written, "\(what): stream \(stream) read through the index gave \(read.map(\.position)), written \(written.map(\.position))")
                }
                try await reader.close()
            } catch let error as EventLogError {
                #expect(kind == .indexDamaged || kind == .indexStale, "\(what): a read-only store refused an intact log: \(error)")
            }
        }

        let store: FileEventStore
        do {
            store = try FileEventStore(directory: dir.path, options: .init(segmentSize: 64 << 10))
        } catch let error as EventLogError {
            #expect(!damage.recordsIntact || kind == .indexDamaged || kind == .indexStale || kind == .indexForged, "\(what): the store failed to open: \(error)")
            return (kind, .detected)
        }
        defer { Task { [store] in try? await store.close() } }
        var seen: [RecordedEvent] = []
        var readError: EventLogError?
        do {
            var next: LogPosition = 1
            while true {
                let batch = try await store.read(from: next, filter: .all, maxCount: 64)
                if batch.isEmpty { break }
                seen += batch.events
                next = batch.nextPosition
            }
        } catch let error as EventLogError {
            readError = error
        }
        // Never a record the store did not write.
        for (i, e) in seen.enumerated() {
            #expect(i < source.events.count && e == source.events[i], "\(what): position \(e.position) was returned but is not what was written")
        }
        let verified = await LogVerifier.verify(store)
        let reported = store.recovery.damage ?? readError ?? verified.failure
        try await store.close()
        if let reported {
            #expect(!damage.recordsIntact || kind == .indexDamaged || kind == .indexStale || kind == .indexForged, "\(what): damage reported where every record is intact: \(reported)")
            #expect(reported.location != nil || reported.position != nil, "\(what): the damage names neither a file nor a position: \(reported)")
            return (kind, .detected)
        }
        if seen.count == source.events.count {
            #expect(damage.recordsIntact, "\(what): every record returned, the damage undetected")
            return (kind, .allReturned)
        }
        // Fewer records and no damage reported: only a torn tail may be cut, never a record before the tail.
        #expect(damage.inTail, "\(what): \(source.events.count - seen.count) records lost without a word (\(store.recovery))")
        #expect(store.recovery.tornBytesCut > 0 || kind == .truncateTail, "\(what): records lost, nothing reported cut")
        return (kind, .tornTailCut)
    }

    @Test("Seeded damage of every kind: detected, or cut only as a torn tail; never returned as data, never a crash")
    func trials() async throws {
        let started = Date()
        let source = try await Self.source()
        var random = Mutator(seed: Mutator.seed)
        let count = Mutator.size(default: 300)
        var tally: [String: [Outcome: Int]] = [:]
        for n in 0..<count {
            let (kind, outcome) = try await Self.trial(n, source, &random)
            tally["\(kind)", default: [:]][outcome, default: 0] += 1
        }
        let table = tally.keys.sorted().map { k in "\(k) " + Outcome.allCases.map { "\(tally[k]![$0] ?? 0)" }.joined(separator: "/") }
        print("corruption trials: \(count) trials, \(String(format: "%.1f", Date().timeIntervalSince(started))) s, seed \(Mutator.seed); per kind all-returned/torn-cut/detected: \(table.joined(separator: ", "))")
    }
}
