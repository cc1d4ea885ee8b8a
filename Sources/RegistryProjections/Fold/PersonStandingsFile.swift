import EventLog
import Foundation
import RegistryDomain

/// The persons' standings in a views' snapshot file (`CutoffStamped<RegistryFold>`, ``CheckpointFile``), read in
/// place from the mapped file: no copy of the fold, so an import pays neither the load (about a second and 0.7 GiB
/// for ten million events) nor the allocation, only the pages of the persons it looks up.
///
/// Opened only when the whole file is what ``CheckpointFile/decode(_:_:settings:)`` accepts in length, CRC,
/// format, settings and record layout; each person looked up is checked as the full load checks every one (the
/// index slot and the record hold the key, the standing is one the state machine could have made).
final class PersonStandingsFile: @unchecked Sendable {
    private let base: UnsafeMutableRawPointer
    private let size: Int
    /// The whole file.
    private var raw: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: size) }
    /// The log's hashes at the snapshot's position (to check it belongs to a store).
    let anchor: CheckpointAnchor
    /// Where the person records and the index slots start in the file, and how many.
    private let personsOffset: Int, personCount: Int
    private let slotsOffset: Int, slotCount: Int
    private let shift: UInt64

    /// The snapshot's position: its standings are folded from every record up to it.
    var position: LogPosition { anchor.position }

    /// Maps and checks a views' snapshot file taken with `settings`; nil when it cannot be read or is not one.
    init?(path: String, settings: ProjectionSettings) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size >= 20 else { return nil }
        let size = Int(st.st_size)
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else { return nil }
        let raw = UnsafeRawBufferPointer(start: mapped, count: size)
        guard let layout = Self.layout(raw, settings: settings) else {
            munmap(mapped, size)
            return nil
        }
        // The CRC touched every page: let them go (clean pages of the file, still in the page cache), so that the
        // process holds only the pages of the persons it looks up.
        _ = madvise(mapped, size, MADV_DONTNEED)
        self.base = mapped
        self.size = size
        (anchor, personsOffset, personCount, slotsOffset, slotCount) = layout
        shift = UInt64(64 - slotCount.trailingZeroBitCount)
    }

    deinit { munmap(base, size) }

    /// The envelope (``CheckpointFile``), the stamp (``CutoffStamped``) and the fold's head
    /// (`RegistryFold.withCheckpointPieces`), checked as their decoders check them.
    private static func layout(_ raw: UnsafeRawBufferPointer, settings: ProjectionSettings)
        -> (CheckpointAnchor, personsOffset: Int, personCount: Int, slotsOffset: Int, slotCount: Int)? {
        var r = ByteReader(raw)
        guard r.u64() == CheckpointFile.magic, let n = r.u64().map(Int.init(truncatingIfNeeded:)), n >= 72, n <= raw.count - 20,
              let body = r.bytes(n), let crc = r.u32(), CRC32C.checksum(body) == crc
        else { return nil }
        let bodyOffset = 16
        let position = UInt64(littleEndian: body.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        let anchor = CheckpointAnchor(position: position, hash: RecordHash(bytes: body.baseAddress! + 8),
                                      firstHash: RecordHash(bytes: body.baseAddress! + 40))
        let stamped = UnsafeRawBufferPointer(rebasing: body[72...])
        typealias Stamped = CutoffStamped<RegistryFold>
        guard stamped.count >= Stamped.stampSize,
              let stamp = Stamped.stamp(from: UnsafeRawBufferPointer(rebasing: stamped[..<Stamped.stampSize]))
        else { return nil }
        let foldOffset = bodyOffset + 72 + Stamped.stampSize
        var f = ByteReader(UnsafeRawBufferPointer(rebasing: stamped[Stamped.stampSize...]))
        guard f.u32() == RegistryFold.checkpointVersion, f.u64() == settings.fingerprint, f.u64() == position, f.u64() != nil,
              f.u64() == RegistryFold.recordLayout, let persons = f.u64().map(Int.init(truncatingIfNeeded:)),
              let slots = f.u64().map(Int.init(truncatingIfNeeded:)),
              persons >= 0, slots >= 16, slots & (slots - 1) == 0, persons * 2 <= slots,
              persons <= raw.count / MemoryLayout<PersonRecord>.stride, slots <= raw.count / MemoryLayout<PersonIndex.Slot>.stride,
              (stamp.recorded == nil) == (position == 0)
        else { return nil }
        let personsOffset = foldOffset + 4 + 6 * 8
        let slotsOffset = personsOffset + persons * MemoryLayout<PersonRecord>.stride
        guard slotsOffset + slots * MemoryLayout<PersonIndex.Slot>.stride <= bodyOffset + n else { return nil }
        return (anchor, personsOffset, persons, slotsOffset, slots)
    }

    /// An entry for a person that is not one the fold could have written.
    struct Malformed: Error {}

    /// A person's standing and whether they have a survey task, by their key; nil when the snapshot does not hold
    /// them.
    /// - Throws: ``Malformed`` when its entry for them is not one the fold could have written.
    func standing(ofPersonKey key: UInt64) throws(Malformed) -> (standing: PersonStanding, hasSurveyTasks: Bool)? {
        guard key != 0 else { return nil }
        let stride = MemoryLayout<PersonIndex.Slot>.stride
        let keyOffset = MemoryLayout<PersonIndex.Slot>.offset(of: \.key)!, valueOffset = MemoryLayout<PersonIndex.Slot>.offset(of: \.value)!
        var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        for _ in 0..<slotCount {
            let at = slotsOffset + i * stride
            let k = raw.loadUnaligned(fromByteOffset: at + keyOffset, as: UInt64.self)
            if k == 0 { return nil }
            if k == key {
                let number = Int(raw.loadUnaligned(fromByteOffset: at + valueOffset, as: Int32.self))
                guard number >= 0, number < personCount else { throw Malformed() }
                let record = raw.loadUnaligned(fromByteOffset: personsOffset + number * MemoryLayout<PersonRecord>.stride, as: PersonRecord.self)
                guard record.key == key, record.standing.isWellFormed, record.lastTask >= -1 else { throw Malformed() }
                return (record.standing, record.lastTask >= 0)
            }
            i = (i + 1) & (slotCount - 1)
        }
        throw Malformed()  // a table at most half full has an empty slot
    }
}
