import EventLog
import Foundation

/// What the writer knows of the event ids in the log, so that an id already used anywhere is found (ids are
/// unique across the log) without a scan and without holding ten million ids in a hash table.
///
/// - A Bloom filter (`EventIDFilter`) of every id: a miss, the common case, proves an id new in one
///   memory access.
/// - The ids of the active segment (committed, then staged), in record order, and a `RecordNumberTable` from a
///   64-bit fingerprint of each to its record: about 32 bytes a record, one probe per append (a `Dictionary`
///   keyed by the whole UUID was measured three to four times slower per insert, one keyed by the fingerprint
///   still showed in the writer's profile). The table is brought up to date only when it is asked (a filter hit,
///   about 1% of new ids): an open appends the active segment's ids in order and leaves the random inserts, 18%
///   of a writer's open on a full segment, to the first hit, which pays them once.
/// - Each sealed segment's ids in its `.ids` file (`SegmentIDTable`), searched only on a filter hit.
struct EventIDIndex {
    private(set) var filter: EventIDFilter
    /// The active segment's ids, in record order: element *i* is position ``activeFirst`` + *i*.
    private(set) var activeIDs: [UUID] = []
    /// The position of `activeIDs[0]`.
    private(set) var activeFirst: LogPosition = 0
    /// Fingerprint → record number in ``activeIDs``, for the first ``tabled`` of them.
    private var byKey = RecordNumberTable()
    /// How many of ``activeIDs`` `byKey` and `collided` hold (``activePositions(of:)`` adds the rest).
    private var tabled = 0
    /// The rare records whose fingerprint another record of the segment already had (a 64-bit clash, or an id an
    /// older log holds twice).
    private var collided: [UUID: [UInt32]] = [:]

    /// - Parameter log2Bits: the filter's size as a power of two (27 = 16 MiB, 1% false positives at 10M ids).
    init(log2Bits: Int = 27) {
        filter = EventIDFilter(log2Bits: log2Bits)
    }

    /// An index whose filter already holds the ids of the log (from the writer's snapshot), no active segment yet.
    init(filter: EventIDFilter) {
        self.filter = filter
    }

    @inline(__always)
    private static func key(_ id: UUID) -> UInt64 {
        withUnsafeBytes(of: id.uuid) { raw in
            raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self) ^ (raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) &* 0x9E37_79B9_7F4A_7C15)
        }
    }

    /// Adds an id recorded (or staged) at `position`, the next position of the log.
    /// - Parameter inActiveSegment: whether the record is in the active segment (kept with its position);
    ///   otherwise only the filter learns it, and the segment's `.ids` file holds it.
    /// - Parameter inFilter: whether the filter holds the id already (an open from the writer's snapshot): then only
    ///   the active segment's table learns it, and the filter's random access per id is saved.
    mutating func insert(_ id: UUID, position: LogPosition, inActiveSegment: Bool = true, inFilter: Bool = false) {
        if !inFilter { filter.insert(id) }
        guard inActiveSegment else { return }
        if activeIDs.isEmpty { activeFirst = position }
        activeIDs.append(id)
    }

    /// Adds the ids appended since the last look-up to the table.
    private mutating func tableUp() {
        while tabled < activeIDs.count {
            let id = activeIDs[tabled]
            if byKey.insertIfAbsent(Self.key(id), UInt32(tabled)) != nil {
                collided[id, default: []].append(UInt32(tabled))
            }
            tabled += 1
        }
    }

    /// Forgets the ids staged from `position` on, whose write failed (the filter keeps them: a false positive
    /// costs only a look-up).
    mutating func dropStaged(from position: LogPosition) {
        guard !activeIDs.isEmpty, activeFirst + LogPosition(activeIDs.count) > position else { return }
        // Rare (a failed write): rebuild the table from the ids that stay.
        let kept = activeIDs.prefix(Int(max(position, activeFirst) - activeFirst))
        let first = activeFirst
        sealActive()
        for (i, id) in kept.enumerated() { insert(id, position: first + LogPosition(i)) }
    }

    /// Whether the id may be in the log; false proves it is not.
    @inline(__always)
    func mayContain(_ id: UUID) -> Bool { filter.mayContain(id) }

    /// The positions in the active segment (committed or staged) whose event id is `id`.
    mutating func activePositions(of id: UUID) -> [LogPosition] {
        tableUp()
        var positions: [LogPosition] = []
        if let r = byKey[Self.key(id)], activeIDs[Int(r)] == id { positions.append(activeFirst + LogPosition(r)) }
        if !collided.isEmpty, let list = collided[id] { positions += list.map { activeFirst + LogPosition($0) } }
        return positions.sorted()
    }

    /// The active segment's ids in record order, for its `.ids` file when it is sealed; nil when they do not
    /// describe exactly that segment (then it is scanned).
    func sealedIDs(firstPosition: LogPosition, count: Int) -> [UUID]? {
        guard activeFirst == firstPosition, activeIDs.count == count else { return nil }
        return activeIDs
    }

    /// The active segment was sealed: its ids now live in its `.ids` file.
    mutating func sealActive() {
        activeIDs.removeAll(keepingCapacity: true)
        tabled = 0
        byKey.removeAll()
        collided.removeAll()
    }
}
