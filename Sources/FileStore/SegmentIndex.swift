import EventLog
#if canImport(Glibc)
import Glibc
#endif

/// The index of one segment: where each record starts, and which records belong to which stream.
///
/// The active segment's index lives in memory and grows with each commit; a sealed segment's is written once,
/// beside it, as `NNNNNNNN.idx`, and can always be rebuilt by scanning the segment.
struct SegmentIndex {
    /// Offset of each record's frame in the segment; element *i* is position `firstPosition + i`.
    var offsets: [UInt32] = []
    /// For the active segment: stream key → its newest record, and each record → the previous record of the same
    /// key (`UInt32.max` for none). A chain rather than an array per stream: no allocation per stream.
    var newest = RecordNumberTable()
    var previous: [UInt32] = []
    /// Sorted (key, record index) pairs, for a sealed segment loaded from disk.
    var sortedKeys: [UInt64] = []
    var sortedRecords: [UInt32] = []

    var count: Int { offsets.count }

    mutating func add(offset: Int, streamKey: UInt64) {
        let record = UInt32(offsets.count)
        previous.append(newest.updateValue(record, forKey: streamKey) ?? .max)
        offsets.append(UInt32(offset))
    }

    /// Record indexes of a stream key, ascending.
    func records(forKey key: UInt64) -> [UInt32] {
        if sortedKeys.isEmpty {
            var result: [UInt32] = []
            var r = newest[key] ?? .max
            while r != .max {
                result.append(r)
                r = previous[Int(r)]
            }
            return result.reversed()
        }
        var lo = 0, hi = sortedKeys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sortedKeys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        var result: [UInt32] = []
        while lo < sortedKeys.count, sortedKeys[lo] == key {
            result.append(sortedRecords[lo])
            lo += 1
        }
        return result
    }

    /// Turns the in-memory chains into the sorted arrays a sealed segment keeps.
    mutating func seal() {
        var pairs: [(UInt64, UInt32)] = []
        pairs.reserveCapacity(offsets.count)
        newest.forEach { key, last in
            var r = last
            while r != .max {
                pairs.append((key, r))
                r = previous[Int(r)]
            }
        }
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        sortedKeys = pairs.map(\.0)
        sortedRecords = pairs.map(\.1)
        newest = RecordNumberTable()
        previous = []
    }

    // MARK: - The .idx file

    /// Header: magic, version, header size, segment number, first position, record count, data end, body CRC,
    /// header CRC. Body: the offsets (u32 each), then the sorted keys (u64) and record indexes (u32).
    func encode(segment: UInt64, firstPosition: LogPosition, dataEnd: Int) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(offsets.count * 16)
        for o in offsets { body.appendLE(o) }
        for k in sortedKeys { body.appendLE(k) }
        for r in sortedRecords { body.appendLE(r) }
        var h: [UInt8] = []
        h.appendLE(SegmentFormat.indexMagic)
        h.appendLE(SegmentFormat.formatVersion)
        h.appendLE(UInt32(SegmentFormat.headerSize))
        h.appendLE(segment)
        h.appendLE(firstPosition)
        h.appendLE(UInt64(offsets.count))
        h.appendLE(UInt64(dataEnd))
        h.appendLE(CRC32C.checksum(body))
        h += [UInt8](repeating: 0, count: SegmentFormat.headerSize - 4 - h.count)
        h.appendLE(CRC32C.checksum(h))
        return h + body
    }

    /// Reads an index file; nil when it is missing, damaged or does not describe this segment.
    static func decode(_ bytes: [UInt8], segment: UInt64, firstPosition: LogPosition) -> (SegmentIndex, dataEnd: Int)? {
        let hs = SegmentFormat.headerSize
        guard bytes.count >= hs else { return nil }
        return bytes.withUnsafeBytes { raw -> (SegmentIndex, Int)? in
            var r = ByteReader(UnsafeRawBufferPointer(rebasing: raw[0..<hs]))
            guard r.u64() == SegmentFormat.indexMagic, r.u32() == SegmentFormat.formatVersion, r.u32() == UInt32(hs),
                  r.u64() == segment, r.u64() == firstPosition, let count = r.u64().map(Int.init), let dataEnd = r.u64(),
                  let bodyCRC = r.u32()
            else { return nil }
            let headerCRC = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: hs - 4, as: UInt32.self))
            guard headerCRC == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<(hs - 4)])) else { return nil }
            let body = UnsafeRawBufferPointer(rebasing: raw[hs...])
            guard body.count == count * 16, CRC32C.checksum(body) == bodyCRC else { return nil }
            var index = SegmentIndex()
            index.offsets = (0..<count).map { UInt32(littleEndian: body.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
            index.sortedKeys = (0..<count).map { UInt64(littleEndian: body.loadUnaligned(fromByteOffset: count * 4 + $0 * 8, as: UInt64.self)) }
            index.sortedRecords = (0..<count).map { UInt32(littleEndian: body.loadUnaligned(fromByteOffset: count * 12 + $0 * 4, as: UInt32.self)) }
            guard index.isConsistent(dataEnd: Int(dataEnd)) else { return nil }
            return (index, Int(dataEnd))
        }
    }

    /// Whether a loaded index is well-formed: offsets strictly increasing from the first frame and inside the
    /// data, keys sorted, and each record listed exactly once. A file that passes its CRCs but not this was
    /// written by something else than this store (a forgery, or a bug) and is rebuilt from its segment.
    ///
    /// - Important: This does not prove each entry right (a record filed under another stream's key passes);
    ///   every entry a read uses is checked against the record it points to (position and stream), and `verify`
    ///   compares every index with its segment.
    func isConsistent(dataEnd: Int) -> Bool {
        var last = -1
        for o in offsets {
            let offset = Int(o)
            guard offset > last, offset >= SegmentFormat.headerSize, offset + SegmentFormat.frameHeaderSize + RecordFormat.fixedSize <= dataEnd else { return false }
            last = offset
        }
        guard offsets.first.map({ Int($0) == SegmentFormat.headerSize }) ?? true else { return false }
        var seen = [Bool](repeating: false, count: offsets.count)
        for (i, r) in sortedRecords.enumerated() {
            guard Int(r) < seen.count, !seen[Int(r)] else { return false }
            seen[Int(r)] = true
            if i > 0, sortedKeys[i - 1] > sortedKeys[i] || (sortedKeys[i - 1] == sortedKeys[i] && sortedRecords[i - 1] > r) { return false }
        }
        return true
    }

    /// Whether two sealed indexes hold the same entries.
    func matches(_ other: SegmentIndex) -> Bool {
        offsets == other.offsets && sortedKeys == other.sortedKeys && sortedRecords == other.sortedRecords
    }

    /// Writes the sealed index beside its segment: to a temporary file, synced, then renamed into place.
    /// - Returns: the CRC-32C of the file's body (as its header holds it).
    @discardableResult
    func write(directory: String, segment: Segment, io: any StorageIO = POSIXStorage()) throws -> UInt32 {
        let bytes = encode(segment: segment.number, firstPosition: segment.firstPosition, dataEnd: segment.dataEnd)
        let path = directory + "/" + SegmentFormat.indexName(segment.number)
        let file = try io.open(path + ".tmp", flags: O_RDWR | O_TRUNC, create: true)
        try file.write(bytes, at: 0)
        try file.fullSync()
        try io.rename(path + ".tmp", to: path)
        try io.syncDirectory(directory)
        return Header.bodyCRC(of: bytes)
    }

    /// The 64-byte header of an index file, checked on its own: what an open needs to know of a sealed segment
    /// without reading its index (the body is checked when it is loaded).
    struct Header {
        var count: Int
        var dataEnd: Int
        var bodyCRC: UInt32

        /// Parses a header; nil unless its CRC holds and it describes this segment.
        init?(_ bytes: [UInt8], segment: UInt64, firstPosition: LogPosition) {
            let hs = SegmentFormat.headerSize
            guard bytes.count >= hs else { return nil }
            guard let parsed = bytes.withUnsafeBytes({ raw -> Header? in
                let headerCRC = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: hs - 4, as: UInt32.self))
                guard headerCRC == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<(hs - 4)])) else { return nil }
                var r = ByteReader(UnsafeRawBufferPointer(rebasing: raw[0..<hs]))
                guard r.u64() == SegmentFormat.indexMagic, r.u32() == SegmentFormat.formatVersion, r.u32() == UInt32(hs),
                      r.u64() == segment, r.u64() == firstPosition, let count = r.u64(), let dataEnd = r.u64(), let crc = r.u32(),
                      count < 1 << 32, dataEnd < 1 << 40
                else { return nil }
                return Header(count: Int(count), dataEnd: Int(dataEnd), bodyCRC: crc)
            }) else { return nil }
            self = parsed
        }

        private init(count: Int, dataEnd: Int, bodyCRC: UInt32) {
            self.count = count
            self.dataEnd = dataEnd
            self.bodyCRC = bodyCRC
        }

        /// The body CRC an encoded index file declares in its header.
        static func bodyCRC(of bytes: [UInt8]) -> UInt32 {
            bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 48, as: UInt32.self)) }
        }
    }
}
