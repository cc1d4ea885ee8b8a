import EventLog

/// The on-disk layout of segment and index files (documented in DESIGN.md, "The file format").
enum SegmentFormat {
    /// `CRLOGSEG`
    static let segmentMagic: UInt64 = 0x4745_5347_4F4C_5243
    /// `CRLOGIDX`
    static let indexMagic: UInt64 = 0x5844_4947_4F4C_5243
    static let formatVersion: UInt32 = 1
    static let headerSize = 64
    /// Each record is framed by its body length and the body's CRC-32C.
    static let frameHeaderSize = 8

    static func segmentName(_ number: UInt64) -> String { String(format: "%08llu.seg", number) }
    static func indexName(_ number: UInt64) -> String { String(format: "%08llu.idx", number) }

    /// A segment header: magic, format version, header size, segment number, first position, creation time, CRC.
    static func segmentHeader(number: UInt64, firstPosition: LogPosition, created: Timestamp) -> [UInt8] {
        var h: [UInt8] = []
        h.reserveCapacity(headerSize)
        h.appendLE(segmentMagic)
        h.appendLE(formatVersion)
        h.appendLE(UInt32(headerSize))
        h.appendLE(number)
        h.appendLE(firstPosition)
        h.appendLE(UInt64(bitPattern: created.microsecondsSinceEpoch))
        h += [UInt8](repeating: 0, count: headerSize - 4 - h.count)
        h.appendLE(CRC32C.checksum(h))
        return h
    }

    struct SegmentHeader {
        var number: UInt64
        var firstPosition: LogPosition
    }

    /// Reads a segment header.
    ///
    /// The checksum is checked first: a header that fails it is damage (`EventLogError/Code/corruptRecord`),
    /// whatever its version field says; only a header whose checksum holds and whose version is another one is
    /// `EventLogError/Code/unsupportedFormat`.
    static func parseSegmentHeader(_ bytes: [UInt8], path: String) throws -> SegmentHeader {
        guard bytes.count == headerSize else {
            throw EventLogError(.corruptRecord, "the segment header is \(bytes.count) bytes, not \(headerSize)", location: path)
        }
        return try bytes.withUnsafeBytes { (raw) throws in
            let stored = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: headerSize - 4, as: UInt32.self))
            guard stored == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<(headerSize - 4)])) else {
                throw EventLogError(.corruptRecord, "the segment header fails its checksum", location: path)
            }
            var r = ByteReader(raw)
            guard r.u64() == segmentMagic else {
                throw EventLogError(.unsupportedFormat, "not a CoverageRegistry segment file (bad magic)", location: path)
            }
            let version = r.u32()!
            guard version >= 1 else {
                throw EventLogError(.corruptRecord, "the segment header declares format version \(version)", location: path)
            }
            guard version == formatVersion else {
                throw EventLogError(.unsupportedFormat, "segment format version \(version); this build reads version \(formatVersion)", location: path)
            }
            _ = r.u32()
            return SegmentHeader(number: r.u64()!, firstPosition: r.u64()!)
        }
    }

    /// A 64-bit FNV-1a hash of a stream id: the key of the stream index (stable across processes and builds).
    @inlinable
    static func streamKey(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }

    static func streamKey(_ stream: StreamID) -> UInt64 {
        var s = stream.rawValue
        return s.withUTF8 { streamKey(UnsafeRawBufferPointer($0)) }
    }
}

/// The result of checking one frame.
enum FrameCheck {
    /// A whole, valid record: its body lies at `bodyOffset` with `length` bytes.
    case record(bodyOffset: Int, length: Int)
    /// The bytes end inside the frame: a torn write if at the end of the file.
    case truncated
    /// The frame is complete but wrong: checksum, framing or declared lengths.
    case damaged(String)
}

extension SegmentFormat {
    /// Checks the frame starting at `offset` in `bytes`.
    ///
    /// `checksum: false` leaves the CRC-32C to the caller, for a reader that checks the record's SHA-256 chain hash
    /// anyway (which covers every byte the CRC does): the caller calls ``checksumFails(_:at:)`` when the record then
    /// fails, so a damaged record still gets the CRC's error. A body whose declared lengths do not add up is reported
    /// as the CRC's failure when the CRC fails, as with `checksum: true`.
    @inlinable
    static func checkFrame(_ bytes: UnsafeRawBufferPointer, at offset: Int, maximumBody: Int = 64 << 20, checksum: Bool = true) -> FrameCheck {
        guard offset + frameHeaderSize <= bytes.count else { return .truncated }
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        let crc = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
        guard length >= RecordFormat.fixedSize, length <= maximumBody else {
            if length == 0 && crc == 0 { return .damaged("zeroes where a record should start") }
            return .damaged("the frame declares a body of \(length) bytes")
        }
        let start = offset + frameHeaderSize
        guard start + length <= bytes.count else { return .truncated }
        let body = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)])
        if checksum, CRC32C.checksum(body) != crc { return .damaged(crcFailure) }
        guard RecordFormat.isWellFormed(body: body) else {
            if !checksum, CRC32C.checksum(body) != crc { return .damaged(crcFailure) }
            return .damaged("the record's declared field lengths do not add up")
        }
        return .record(bodyOffset: start, length: length)
    }

    @usableFromInline static let crcFailure = "the record fails its CRC-32C checksum"

    /// Whether the whole frame at `offset` (found by ``checkFrame(_:at:maximumBody:checksum:)`` with `checksum: false`)
    /// fails its CRC-32C.
    static func checksumFails(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        let crc = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
        let start = offset + frameHeaderSize
        return CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)])) != crc
    }

    /// Bytes read at once where a frame starts: most records fit, so their header and body come in one `pread`.
    static let firstFrameRead = 2048

    /// The body of the whole, valid frame at `offset` of a segment file.
    ///
    /// One read of ``firstFrameRead`` bytes takes most frames whole; a longer one (or one the end of the file cuts
    /// short) is read again at its declared length. Either way, only the frame's own bytes are checked and returned.
    /// - Throws: `EventLogError/Code/corruptRecord` when no valid frame starts there.
    static func recordBody(_ file: any StorageFile, at offset: Int) throws -> [UInt8] {
        var frame = try file.read(count: firstFrameRead, at: offset)
        guard frame.count >= frameHeaderSize else {
            throw EventLogError(.corruptRecord, "a record lies past the end of its segment", location: "\(file.path) offset \(offset)")
        }
        let length = Int(frame.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) })
        let wanted = frameHeaderSize + min(length, 64 << 20)
        if frame.count < wanted { frame = try file.read(count: wanted, at: offset) }
        return try frame.withUnsafeBytes { all in
            let raw = UnsafeRawBufferPointer(rebasing: all[..<min(wanted, all.count)])
            switch checkFrame(raw, at: 0) {
            case .record(let bodyOffset, let bodyLength):
                return Array(UnsafeRawBufferPointer(rebasing: raw[bodyOffset..<(bodyOffset + bodyLength)]))
            case .truncated:
                throw EventLogError(.corruptRecord, "the record is cut short", location: "\(file.path) offset \(offset)")
            case .damaged(let reason):
                throw EventLogError(.corruptRecord, reason, location: "\(file.path) offset \(offset)")
            }
        }
    }

    /// Writes a frame for the body that was just appended to `buffer` at `bodyStart - frameHeaderSize`.
    static func sealFrame(in buffer: inout [UInt8], frameStart: Int) {
        buffer.withUnsafeMutableBytes { raw in
            let bodyStart = frameStart + frameHeaderSize
            let body = UnsafeRawBufferPointer(rebasing: raw[bodyStart...])
            raw.storeBytes(of: UInt32(body.count).littleEndian, toByteOffset: frameStart, as: UInt32.self)
            raw.storeBytes(of: CRC32C.checksum(body).littleEndian, toByteOffset: frameStart + 4, as: UInt32.self)
        }
    }
}
