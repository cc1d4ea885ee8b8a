import EventLog
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The event ids of one sealed segment, sorted, as `NNNNNNNN.ids` beside it: how the writer finds an id
/// anywhere in the log (ids are unique across the log) without holding every id in memory.
///
/// File: a 64-byte header (magic `CRLOGIDS`, format version, header size, segment number, first position, entry
/// count, CRC-32C of the entries, zero padding, CRC-32C of the header), then one 20-byte entry per record: the
/// 16 bytes of the event id, then the record's number in the segment (`u32`, position − first position), sorted
/// by id bytes. Written once when the segment is sealed (temporary file, sync, rename); rebuilt from the segment
/// when missing or damaged. Like the index, it is a hint: the record it points to is read and its id compared.
///
/// In memory only the first id of every block of ``blockSize`` entries is kept (about 0.1% of the file); a
/// look-up is a binary search over those and one `pread` of one block (5 KiB).
struct SegmentIDTable {
    static let magic: UInt64 = 0x5344_4947_4F4C_5243  // "CRLOGIDS"
    static let formatVersion: UInt32 = 1
    static let headerSize = 64
    static let entrySize = 20
    static let blockSize = 256

    static func fileName(_ number: UInt64) -> String { String(format: "%08llu.ids", number) }

    /// An id as two big-endian integers: comparing them compares the id bytes.
    struct Key: Hashable, Comparable {
        var high: UInt64
        var low: UInt64

        init(_ id: UUID) {
            self = withUnsafeBytes(of: id.uuid) { Key(raw: $0, at: 0) }
        }

        init(raw: UnsafeRawBufferPointer, at offset: Int) {
            high = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            low = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
        }

        static func < (a: Key, b: Key) -> Bool { a.high != b.high ? a.high < b.high : a.low < b.low }
    }

    let file: any StorageFile
    let count: Int
    /// The key of the first entry of each block.
    let fences: [Key]

    // MARK: - Writing

    /// The file's bytes for a segment's ids.
    /// - Parameter ids: each record's event id, in record order (element *i* is record *i*).
    static func encode(ids: [UUID], segment: UInt64, firstPosition: LogPosition) -> [UInt8] {
        var order = Array(0..<ids.count)
        let keys = ids.map(Key.init)
        order.sort { keys[$0] < keys[$1] || (!(keys[$1] < keys[$0]) && $0 < $1) }
        var body: [UInt8] = []
        body.reserveCapacity(ids.count * entrySize)
        for r in order {
            body.appendUUID(ids[r])
            body.appendLE(UInt32(r))
        }
        var h: [UInt8] = []
        h.appendLE(magic)
        h.appendLE(formatVersion)
        h.appendLE(UInt32(headerSize))
        h.appendLE(segment)
        h.appendLE(firstPosition)
        h.appendLE(UInt64(ids.count))
        h.appendLE(CRC32C.checksum(body))
        h += [UInt8](repeating: 0, count: headerSize - 4 - h.count)
        h.appendLE(CRC32C.checksum(h))
        return h + body
    }

    /// Writes the table beside its segment: to a temporary file, synced, then renamed into place.
    static func write(ids: [UUID], segment: UInt64, firstPosition: LogPosition, directory: String,
                      io: any StorageIO = POSIXStorage()) throws {
        let bytes = encode(ids: ids, segment: segment, firstPosition: firstPosition)
        let path = directory + "/" + fileName(segment)
        let file = try io.open(path + ".tmp", flags: O_RDWR | O_TRUNC, create: true)
        try file.write(bytes, at: 0)
        try file.fullSync()
        try io.rename(path + ".tmp", to: path)
        try io.syncDirectory(directory)
    }

    // MARK: - Reading

    /// Opens a table and checks it whole (header, entry CRC, count, order); nil when it is missing, damaged or
    /// describes another segment.
    static func load(directory: String, segment: UInt64, firstPosition: LogPosition, recordCount: Int,
                     io: any StorageIO = POSIXStorage()) -> SegmentIDTable? {
        let path = directory + "/" + fileName(segment)
        guard let file = try? io.open(path, flags: O_RDONLY), let bytes = try? file.read(count: file.size, at: 0),
              bytes.count >= headerSize
        else { return nil }
        let fences: [Key]? = bytes.withUnsafeBytes { raw in
            var r = ByteReader(UnsafeRawBufferPointer(rebasing: raw[0..<headerSize]))
            guard r.u64() == magic, r.u32() == formatVersion, r.u32() == UInt32(headerSize), r.u64() == segment,
                  r.u64() == firstPosition, r.u64() == UInt64(recordCount), let bodyCRC = r.u32()
            else { return nil }
            let headerCRC = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: headerSize - 4, as: UInt32.self))
            let body = UnsafeRawBufferPointer(rebasing: raw[headerSize...])
            guard headerCRC == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<(headerSize - 4)])),
                  body.count == recordCount * entrySize, CRC32C.checksum(body) == bodyCRC
            else { return nil }
            var fences: [Key] = []
            fences.reserveCapacity(recordCount / blockSize + 1)
            var previous: Key?
            for i in 0..<recordCount {
                let key = Key(raw: body, at: i * entrySize)
                if let previous, key < previous { return nil }
                guard UInt32(littleEndian: body.loadUnaligned(fromByteOffset: i * entrySize + 16, as: UInt32.self)) < recordCount
                else { return nil }
                if i % blockSize == 0 { fences.append(key) }
                previous = key
            }
            return fences
        }
        guard let fences else { return nil }
        return SegmentIDTable(file: file, count: recordCount, fences: fences)
    }

    /// The record numbers holding `id` (one, unless an older log reused an id), in ascending order.
    func records(of id: UUID) throws -> [UInt32] {
        guard count > 0 else { return [] }
        let key = Key(id)
        // The first block that may hold the key: the last whose first key is below it (equal keys can start the
        // next block too, when an id was repeated).
        var lo = 0, hi = fences.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if fences[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        let start = max(lo - 1, 0)
        var block = start
        var found: [UInt32] = []
        while block < fences.count, block == start || !(key < fences[block]) {
            let first = block * Self.blockSize
            let n = min(Self.blockSize, count - first)
            let bytes = try file.read(count: n * Self.entrySize, at: Self.headerSize + first * Self.entrySize)
            guard bytes.count == n * Self.entrySize else {
                throw EventLogError(.corruptRecord, "the event id table is shorter than its header says", location: file.path)
            }
            var past = false
            bytes.withUnsafeBytes { raw in
                for i in 0..<n {
                    let k = Key(raw: raw, at: i * Self.entrySize)
                    if k == key {
                        found.append(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * Self.entrySize + 16, as: UInt32.self)))
                    } else if key < k {
                        past = true
                        break
                    }
                }
            }
            if past { break }
            block += 1
        }
        return found.sorted()
    }
}
