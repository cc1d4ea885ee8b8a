import EventLog
import Foundation

/// Walks the records of a segment file from its header to its end, checking each frame.
struct SegmentScanner {
    /// How a scan ended.
    enum Ending: Equatable {
        /// At the end of the file, after a whole record.
        case clean
        /// Inside a record that was never completely written (a torn tail): safe to cut at `offset`.
        case torn(offset: Int)
        /// At a record that is complete but wrong, or a bad frame followed by valid records: damage, never to be
        /// returned as data and never cut.
        case damaged(offset: Int, reason: String)
        /// At a whole, valid frame whose chain hash does not follow from its predecessor's: an edited record.
        case chainBroken(offset: Int)
    }

    struct Result {
        var recordCount = 0
        /// The offset just past the last whole, valid record.
        var dataEnd = SegmentFormat.headerSize
        var ending = Ending.clean
        var lastHash: RecordHash?
    }

    let file: any StorageFile
    let firstPosition: LogPosition
    var chunkSize = 8 << 20
    /// When set, the hash of the record before the first one scanned: each record's chain hash is then checked
    /// (one SHA-256 per record), and the first that does not follow ends the scan as `Ending/chainBroken(offset:)`.
    var chainFrom: RecordHash?

    /// Scans the segment, calling `visit` with each valid record and the offset of its frame.
    ///
    /// A bad frame (a length that runs past the end, a failed checksum, zeroes) ends the scan as a torn tail only
    /// when no valid frame follows it in the file; otherwise it is damage (acknowledged records lie beyond it).
    func scan(from start: Int = SegmentFormat.headerSize, startingPosition: LogPosition? = nil,
              visit: (RecordView, Int) throws -> Void) throws -> Result {
        let fileSize = try file.size
        var result = Result()
        result.dataEnd = start
        var expected = startingPosition ?? firstPosition
        var chain = chainFrom
        var offset = start
        // One buffer for every chunk: no fresh pages to fault in per chunk.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, min(chunkSize, fileSize - start)), alignment: 16)
        defer { buffer.deallocate() }
        /// The whole, well-placed frames of the current chunk: body offset and length.
        var frames: [(body: Int, length: Int)] = []
        while offset < fileSize {
            let want = min(chunkSize, fileSize - offset)
            let count = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]), at: offset)
            let raw = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            let atEOF = offset + count >= fileSize
            var consumed = 0
            var stop: Ending?
            var definite = false  // a whole, valid frame in the wrong place: damage whatever follows
            var needMore = 0
            // First the frames (length, checksum, declared lengths, position), then the chain over all of them at
            // once (on every core), then the visits up to the first record that fails either.
            frames.removeAll(keepingCapacity: true)
            var position = expected
            frameLoop: while consumed < raw.count {
                switch SegmentFormat.checkFrame(raw, at: consumed) {
                case .record(let bodyOffset, let length):
                    let found = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: bodyOffset + RecordFormat.positionOffset, as: UInt64.self))
                    guard found == position else {
                        stop = .damaged(offset: offset + consumed, reason: "the record holds position \(found) where \(position) belongs")
                        definite = true
                        break frameLoop
                    }
                    frames.append((bodyOffset, length))
                    position += 1
                    consumed = bodyOffset + length
                case .truncated:
                    if atEOF {
                        stop = .torn(offset: offset + consumed)
                    } else if frames.isEmpty, raw.count >= SegmentFormat.frameHeaderSize {
                        // The frame continues in the next chunk.
                        needMore = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self))) + SegmentFormat.frameHeaderSize
                    }
                    break frameLoop
                case .damaged(let reason):
                    stop = .damaged(offset: offset + consumed, reason: reason)
                    break frameLoop
                }
            }
            var intact = frames.count
            if let previous = chain, !frames.isEmpty {
                intact = Self.firstBrokenLink(raw, frames, from: previous)
                if intact < frames.count {
                    stop = .chainBroken(offset: offset + frames[intact].body - SegmentFormat.frameHeaderSize)
                    definite = true
                }
            }
            for f in frames.prefix(intact) {
                let view = RecordView(body: UnsafeRawBufferPointer(rebasing: raw[f.body..<(f.body + f.length)]))
                try visit(view, offset + f.body - SegmentFormat.frameHeaderSize)
                result.recordCount += 1
                result.lastHash = view.hash
                expected += 1
                result.dataEnd = offset + f.body + f.length
            }
            if chain != nil, let last = result.lastHash, intact > 0 { chain = last }  // checked: equal to the computed hash
            if let stop {
                result.ending = definite ? stop : try judge(stop, expected: expected, fileSize: fileSize)
                return result
            }
            if consumed == 0 {
                // One frame larger than the chunk: read it whole.
                let frame = try file.read(count: min(max(needMore, want * 2), fileSize - offset), at: offset)
                let check = frame.withUnsafeBytes { SegmentFormat.checkFrame($0, at: 0) }
                switch check {
                case .record:
                    var big = self
                    big.chunkSize = frame.count
                    big.chainFrom = chain
                    let rest = try big.scan(from: offset, startingPosition: expected, visit: visit)
                    result.recordCount += rest.recordCount
                    result.dataEnd = rest.dataEnd
                    result.ending = rest.ending
                    result.lastHash = rest.lastHash ?? result.lastHash
                    return result
                case .truncated:
                    result.ending = try judge(.torn(offset: offset), expected: expected, fileSize: fileSize)
                    return result
                case .damaged(let reason):
                    result.ending = try judge(.damaged(offset: offset, reason: reason), expected: expected, fileSize: fileSize)
                    return result
                }
            }
            offset += consumed
        }
        return result
    }

    /// The first of `frames` whose chain hash does not follow from the one before it (the first from `previous`),
    /// or `frames.count`. Each link depends only on two stored hashes, so the links are checked on every core at once.
    static func firstBrokenLink(_ raw: UnsafeRawBufferPointer, _ frames: [(body: Int, length: Int)], from previous: RecordHash) -> Int {
        struct Shared: @unchecked Sendable {
            // Read-only for the workers; each writes only its own slot of `firsts`.
            let raw: UnsafeRawBufferPointer
            let frames: UnsafeBufferPointer<(body: Int, length: Int)>
            let firsts: UnsafeMutableBufferPointer<Int>
            let previous: RecordHash

            func check(_ range: Range<Int>) -> Int {
                var chain = range.lowerBound == 0 ? previous : body(range.lowerBound - 1).hash
                for i in range {
                    let view = body(i)
                    guard RecordHash.chaining(chain, body: view.body) == view.hash else { return i }
                    chain = view.hash
                }
                return range.upperBound
            }

            func body(_ i: Int) -> RecordView {
                RecordView(body: UnsafeRawBufferPointer(rebasing: raw[frames[i].body..<(frames[i].body + frames[i].length)]))
            }
        }
        let parts = frames.count < 4096 ? 1 : min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 8)
        return frames.withUnsafeBufferPointer { f in
            let firsts = UnsafeMutableBufferPointer<Int>.allocate(capacity: parts)
            defer { firsts.deallocate() }
            let shared = Shared(raw: raw, frames: f, firsts: firsts, previous: previous)
            if parts == 1 {
                return shared.check(0..<f.count)
            }
            let total = f.count
            DispatchQueue.concurrentPerform(iterations: parts) { p in
                let range = (p * total / parts)..<((p + 1) * total / parts)
                let broken = shared.check(range)
                shared.firsts[p] = broken == range.upperBound ? total : broken
            }
            return firsts.min() ?? f.count
        }
    }

    /// A bad frame at `offset` is a torn tail only when no valid frame follows it; otherwise it is damage.
    private func judge(_ stop: Ending, expected: LogPosition, fileSize: Int) throws -> Ending {
        let at: Int
        let reason: String
        switch stop {
        case .clean, .chainBroken: return stop
        case .torn(let offset): (at, reason) = (offset, "the frame runs past the end of the segment")
        case .damaged(let offset, let why): (at, reason) = (offset, why)
        }
        guard let found = try validFrame(after: at, expected: expected, fileSize: fileSize) else { return .torn(offset: at) }
        return .damaged(offset: at, reason: "\(reason), and a valid record (position \(found.position)) follows at offset \(found.offset)")
    }

    /// The first offset after `start` holding a whole, valid frame of a position at or after `expected`, if any.
    ///
    /// Cheap tests first (a plausible length and position, field lengths that add up), the checksum only then, so
    /// looking through a segment of garbage costs a few loads per byte.
    func validFrame(after start: Int, expected: LogPosition, fileSize: Int) throws -> (offset: Int, position: LogPosition)? {
        let header = SegmentFormat.frameHeaderSize + RecordFormat.fixedSize
        let window = 1 << 20
        var base = start + 1
        while base + header <= fileSize {
            let chunk = try file.read(count: min(window + header, fileSize - base), at: base)
            let limit = min(window, chunk.count - header + 1)
            if limit <= 0 { return nil }
            var candidate: (at: Int, length: Int)?
            chunk.withUnsafeBytes { raw in
                for i in 0..<limit {
                    let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
                    guard length >= RecordFormat.fixedSize, length <= 64 << 20, base + i + SegmentFormat.frameHeaderSize + length <= fileSize else { continue }
                    let position = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i + SegmentFormat.frameHeaderSize, as: UInt64.self))
                    guard position >= expected, position - expected <= UInt64(fileSize - start) else { continue }
                    let fixed = UnsafeRawBufferPointer(rebasing: raw[(i + SegmentFormat.frameHeaderSize)..<(i + header)])
                    let s = Int(UInt16(littleEndian: fixed.loadUnaligned(fromByteOffset: RecordFormat.streamLengthOffset, as: UInt16.self)))
                    let t = Int(UInt16(littleEndian: fixed.loadUnaligned(fromByteOffset: RecordFormat.typeLengthOffset, as: UInt16.self)))
                    let m = Int(UInt32(littleEndian: fixed.loadUnaligned(fromByteOffset: RecordFormat.metadataLengthOffset, as: UInt32.self)))
                    let p = Int(UInt32(littleEndian: fixed.loadUnaligned(fromByteOffset: RecordFormat.payloadLengthOffset, as: UInt32.self)))
                    guard s > 0, t > 0, RecordFormat.fixedSize + s + t + m + p == length else { continue }
                    candidate = (i, length)
                    return
                }
            }
            if let (i, length) = candidate {
                let frame = try file.read(count: SegmentFormat.frameHeaderSize + length, at: base + i)
                let position: LogPosition? = frame.withUnsafeBytes { raw in
                    if case .record(let bodyOffset, _) = SegmentFormat.checkFrame(raw, at: 0) {
                        return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: bodyOffset, as: UInt64.self))
                    }
                    return nil
                }
                if let position { return (base + i, position) }
                base += i + 1
            } else {
                base += limit
            }
        }
        return nil
    }
}
