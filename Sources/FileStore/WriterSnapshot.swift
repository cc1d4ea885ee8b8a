import EventLog
#if canImport(Glibc)
import Glibc
#endif

/// The writer's tables as of one record of the log, kept beside the segments so that a writing open reads them
/// instead of scanning every sealed segment (file `writer.snapshot`; DESIGN.md, "Opening a large store").
///
/// It holds each stream's version (``StreamVersionTable``, in slot order) and the Bloom filter of event ids, and is
/// stamped with what it covers: the position, segment and frame offset of the last record it includes and that
/// record's chain hash, the header of the store's first segment (its identity), the sealed segments it saw (their
/// record counts, data ends and the body checksums of their index files) and the format versions. It is a hint:
/// an open uses it only when all of this matches the log (``Recoverer``), and otherwise scans as before.
///
/// Layout (little-endian): a 256-byte header (magic `CRLOGWSS`, snapshot version, segment format version,
/// position, segment number, frame offset, chain hash, sealed-segment count, filter size, stream count, table
/// capacity, body length, body CRC-32C, the first segment's 64-byte header, header CRC-32C in the last four bytes),
/// then the sealed segments (40 bytes each), the filter's words, and the streams (digest and version, 24 bytes each).
struct WriterSnapshot {
    static let fileName = "writer.snapshot"
    /// `CRLOGWSS`
    static let magic: UInt64 = 0x5353_5747_4F4C_5243
    static let version: UInt32 = 1
    static let headerSize = 256

    /// A sealed segment as the snapshot's writer knew it.
    struct SealedSegment: Equatable {
        var number: UInt64
        var firstPosition: LogPosition
        var recordCount: Int
        var dataEnd: Int
        /// The body CRC-32C of its index file (as written by the store, or checked against a scan of the segment).
        var indexCRC: UInt32
    }

    /// The store's first segment header.
    var identity: [UInt8]
    /// The last record covered.
    var position: LogPosition
    var hash: RecordHash
    /// The segment holding ``position`` and the offset of its frame there.
    var segmentNumber: UInt64
    var frameOffset: Int
    var sealed: [SealedSegment]
    var filter: EventIDFilter
    var versions: StreamVersionTable

    /// Why a snapshot file could not be used.
    struct Refusal: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: - Writing

    /// The snapshot's bytes.
    static func encode(identity: [UInt8], position: LogPosition, hash: RecordHash, segmentNumber: UInt64, frameOffset: Int,
                       sealed: [SealedSegment], filter: EventIDFilter, versions: StreamVersionTable) -> [UInt8] {
        precondition(identity.count == SegmentFormat.headerSize)
        let words = filter.words
        let bodyLength = sealed.count * 40 + words.count * 8 + versions.count * 24
        return [UInt8](unsafeUninitializedCapacity: headerSize + bodyLength) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            var at = headerSize
            func put<T: FixedWidthInteger>(_ value: T) {
                raw.storeBytes(of: value.littleEndian, toByteOffset: at, as: T.self)
                at += MemoryLayout<T>.size
            }
            for s in sealed {
                put(s.number); put(s.firstPosition); put(UInt64(s.recordCount)); put(UInt64(s.dataEnd)); put(s.indexCRC); put(UInt32(0))
            }
            words.withUnsafeBytes { w in
                // The filter's words in memory order (little-endian on every platform this store runs on).
                UnsafeMutableRawBufferPointer(rebasing: raw[at..<(at + w.count)]).copyMemory(from: w)
                at += w.count
            }
            versions.forEach { key, version in put(key.a); put(key.b); put(version) }
            let body = UnsafeRawBufferPointer(rebasing: raw[headerSize...])
            at = 0
            put(magic); put(version); put(SegmentFormat.formatVersion)
            put(position); put(segmentNumber); put(UInt64(frameOffset))
            hash.store(to: raw.baseAddress! + at); at += 32
            put(UInt32(sealed.count)); put(UInt32(filter.log2Bits))
            put(UInt64(versions.count)); put(UInt64(versions.capacity)); put(UInt64(bodyLength))
            put(CRC32C.checksum(body))
            identity.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: raw[at..<(at + 64)]).copyMemory(from: $0) }
            at = headerSize - 4
            put(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<(headerSize - 4)])))
            initialized = headerSize + bodyLength
        }
    }

    /// Writes the snapshot's bytes to `writer.snapshot` in `directory` as the index files are written: a new
    /// owner-only (0600) temporary file, synced, renamed over the old one, the directory synced; so a crash leaves
    /// the old snapshot or the new one, never a mix.
    static func write(_ bytes: [UInt8], directory: String, io: any StorageIO) throws {
        let path = directory + "/" + fileName
        let file = try io.open(path + ".tmp", flags: O_RDWR | O_TRUNC, create: true)
        try file.write(bytes, at: 0)
        try file.fullSync()
        try io.rename(path + ".tmp", to: path)
        try io.syncDirectory(directory)
    }

    // MARK: - Reading

    /// Reads `writer.snapshot`; nil when there is none.
    /// - Throws: ``Refusal`` naming what is wrong with a file that is there.
    static func load(directory: String, io: any StorageIO) throws -> WriterSnapshot? {
        let path = directory + "/" + fileName
        guard io.exists(path) else { return nil }
        let bytes: [UInt8]
        do {
            let file = try io.open(path, flags: O_RDONLY)
            bytes = try file.read(count: try file.size, at: 0)
        } catch {
            throw Refusal("it could not be read (\(error))")
        }
        return try decode(bytes)
    }

    /// Parses and checks a snapshot's bytes (checksums, versions, lengths); nothing is compared with the log here.
    static func decode(_ bytes: [UInt8]) throws -> WriterSnapshot {
        guard bytes.count >= headerSize else { throw Refusal("it is \(bytes.count) bytes, shorter than its header") }
        return try bytes.withUnsafeBytes { raw throws -> WriterSnapshot in
            var at = 0
            func get<T: FixedWidthInteger>(_: T.Type) -> T {
                defer { at += MemoryLayout<T>.size }
                return T(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: T.self))
            }
            guard UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: headerSize - 4, as: UInt32.self))
                    == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<(headerSize - 4)])) else {
                throw Refusal("its header fails its checksum")
            }
            guard get(UInt64.self) == magic else { throw Refusal("it is not a writer snapshot (bad magic)") }
            let snapshotVersion = get(UInt32.self)
            guard snapshotVersion == version else { throw Refusal("snapshot format version \(snapshotVersion); this build writes version \(version)") }
            let segmentVersion = get(UInt32.self)
            guard segmentVersion == SegmentFormat.formatVersion else {
                throw Refusal("it was written for segment format version \(segmentVersion), not \(SegmentFormat.formatVersion)")
            }
            let position = get(UInt64.self)
            let segmentNumber = get(UInt64.self)
            let frameOffset = get(UInt64.self)
            let hash = RecordHash(bytes: raw.baseAddress! + at); at += 32
            let sealedCount = Int(get(UInt32.self))
            let log2Bits = Int(get(UInt32.self))
            let streamCount = Int(get(UInt64.self))
            let capacity = Int(get(UInt64.self))
            let bodyLength = Int(get(UInt64.self))
            let bodyCRC = get(UInt32.self)
            let identity = Array(UnsafeRawBufferPointer(rebasing: raw[at..<(at + 64)]))
            guard (6...40).contains(log2Bits), sealedCount < 1 << 24, frameOffset < 1 << 40, capacity < 1 << 40,
                  capacity.nonzeroBitCount <= 1, streamCount * 2 <= capacity,
                  bodyLength == sealedCount * 40 + (1 << (log2Bits - 6)) * 8 + streamCount * 24,
                  bytes.count == headerSize + bodyLength
            else { throw Refusal("its declared lengths do not add up to its size (\(bytes.count) bytes)") }
            let body = UnsafeRawBufferPointer(rebasing: raw[headerSize...])
            guard CRC32C.checksum(body) == bodyCRC else { throw Refusal("its body fails its checksum") }
            at = headerSize
            var sealed: [SealedSegment] = []
            sealed.reserveCapacity(sealedCount)
            for _ in 0..<sealedCount {
                let number = get(UInt64.self), first = get(UInt64.self), count = get(UInt64.self), end = get(UInt64.self)
                let crc = get(UInt32.self)
                _ = get(UInt32.self)
                guard count < 1 << 40, end < 1 << 40 else { throw Refusal("a sealed segment's record count or size is out of range") }
                sealed.append(SealedSegment(number: number, firstPosition: first, recordCount: Int(count), dataEnd: Int(end), indexCRC: crc))
            }
            let wordCount = 1 << (log2Bits - 6)
            let words = [UInt64](unsafeUninitializedCapacity: wordCount) { w, n in
                UnsafeMutableRawBufferPointer(w).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[at..<(at + wordCount * 8)]))
                n = wordCount
            }
            at += wordCount * 8
            var versions = StreamVersionTable(capacity: Swift.max(capacity, 1024))
            for _ in 0..<streamCount {
                let a = get(UInt64.self), b = get(UInt64.self), v = get(UInt64.self)
                versions[StreamVersionTable.Key(a: a, b: b)] = v
            }
            guard versions.count == streamCount else { throw Refusal("it lists a stream twice") }
            return WriterSnapshot(identity: identity, position: position, hash: hash, segmentNumber: segmentNumber,
                                  frameOffset: Int(frameOffset), sealed: sealed, filter: EventIDFilter(log2Bits: log2Bits, words: words),
                                  versions: versions)
        }
    }
}
