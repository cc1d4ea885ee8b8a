import FuzzSupport
import EventLog
import Foundation
import Glibc
import Testing
@testable import FileStore

/// The segment scanner fuzzed: a real segment written by the store, mutated (bit and byte flips, inserts,
/// deletions, duplicated chunks, splices, cuts) and scanned. No crash; every record the scanner hands out is
/// byte-equal to the record the store wrote at that position (nothing forged or shifted is returned as data);
/// the scan ends inside the file. Long run: `scripts/torture`.
@Suite("Segment scanner fuzzing")
struct SegmentScannerFuzzTests {
    /// A store of `count` records in one segment; returns the segment's bytes and each record's body by position.
    static func segment(records count: Int) async throws -> (bytes: [UInt8], bodies: [LogPosition: [UInt8]]) {
        let dir = TemporaryDirectory("fuzz-source")
        defer { dir.remove() }
        // A fixed clock and fixed ids: the same segment, byte for byte, on every run, so a seed replays exactly.
        let store = try FileEventStore(directory: dir.path, options: .init(clock: { Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000) }))
        for i in 0..<count {
            var event = FileEventStoreRecoveryTests.event(i)
            event.id = UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", i))!
            try await store.append([event], to: try StreamID("s-\(i % 3)"))
        }
        try await store.close()
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".seg") }.sorted().first)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.file(name))))
        var bodies: [LogPosition: [UInt8]] = [:]
        var offset = SegmentFormat.headerSize
        bytes.withUnsafeBytes { raw in
            while case .record(let start, let length) = SegmentFormat.checkFrame(raw, at: offset) {
                let body = Array(raw[start..<(start + length)])
                body.withUnsafeBytes { bodies[RecordView(body: $0).position] = body }
                offset = start + length
            }
        }
        precondition(bodies.count == count && offset == bytes.count)
        return (bytes, bodies)
    }

    struct Counts { var inputs = 0, clean = 0, torn = 0, damaged = 0, badHeader = 0, recordsReturned = 0 }

    static func scan(_ bytes: [UInt8], path: String, bodies: [LogPosition: [UInt8]], into counts: inout Counts) throws {
        counts.inputs += 1
        let fd = Glibc.open(path, O_WRONLY | O_TRUNC | O_CREAT, 0o644)
        precondition(fd >= 0)
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        Glibc.close(fd)
        let file = try POSIXFile.open(path, flags: O_RDONLY)
        let header: SegmentFormat.SegmentHeader
        do {
            header = try SegmentFormat.parseSegmentHeader(try file.read(count: SegmentFormat.headerSize, at: 0), path: path)
        } catch let error as EventLogError {
            #expect(error.code == .corruptRecord || error.code == .unsupportedFormat)
            counts.badHeader += 1
            return
        }
        var lastEnd = SegmentFormat.headerSize
        let result = try SegmentScanner(file: file, firstPosition: header.firstPosition, chunkSize: 1 << 12).scan { view, offset in
            // Plain checks in the loop (an #expect per record costs more than the scan), an issue only on failure.
            if offset != lastEnd { Issue.record("a record at \(offset) after one ending at \(lastEnd)") }
            let body = Array(view.body)
            if bodies[view.position] != body { Issue.record("the scanner returned a record at position \(view.position) that the store never wrote") }
            lastEnd = offset + SegmentFormat.frameHeaderSize + body.count
            counts.recordsReturned += 1
        }
        #expect(result.dataEnd == lastEnd)
        switch result.ending {
        case .clean: counts.clean += 1; #expect(result.dataEnd == bytes.count)
        case .torn(let at): counts.torn += 1; #expect(at == result.dataEnd && at < bytes.count)
        case .damaged(let at, let reason): counts.damaged += 1; #expect(at == result.dataEnd && at < bytes.count && !reason.isEmpty)
        default: counts.damaged += 1  // a broken chain (scanned without a chain here: never)
        }
    }

    static func run(count: Int, seed: UInt64) async throws -> Counts {
        let (original, bodies) = try await segment(records: 40)
        // The mutated segment is rewritten for every input: in memory (/dev/shm) where there is one, since on ext4
        // truncating and rewriting a file forces it out to disk (auto_da_alloc) and the disk then sets the pace.
        let scratch = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm/coverage-registry-fuzz-\(UUID().uuidString)" : TemporaryDirectory("fuzz-scan").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var random = Mutator(seed: seed)
        var counts = Counts()
        for i in 0..<count {
            var bytes = original
            if i % 2 == 0 {
                // Mutations past the header, where the records are (the header has its own checksum).
                let tail = Array(bytes[SegmentFormat.headerSize...])
                bytes = Array(bytes[..<SegmentFormat.headerSize]) + random.mutate(tail, other: tail, rounds: 3)
            } else {
                bytes = random.mutate(bytes, other: original, rounds: 2)
            }
            try scan(bytes, path: scratch + "/00000001.seg", bodies: bodies, into: &counts)
        }
        return counts
    }

    @Test("Mutated segments: no crash, only records the store wrote are returned, the scan ends in the file")
    func fuzzScanner() async throws {
        let started = Date()
        let counts = try await Self.run(count: Mutator.size(default: 5_000), seed: Mutator.seed)
        #expect(counts.damaged > 0 && counts.torn > 0 && counts.badHeader > 0)
        print("fuzz segment-scanner: \(counts.inputs) segments, \(counts.recordsReturned) records returned (all as written), \(counts.clean) clean, \(counts.torn) torn, \(counts.damaged) damaged, \(counts.badHeader) bad header, 0 crashes, \(String(format: "%.1f", Date().timeIntervalSince(started))) s, seed \(Mutator.seed)")
    }
}
