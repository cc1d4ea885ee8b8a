import EventLog
import Foundation

/// What the writer knows of the event ids in the log, so that an id already used anywhere is found (ids are
/// unique across the log) without a scan and without holding ten million ids in a hash table.
///
/// - A Bloom filter (``EventIDFilter``) of every id: a miss, the common case, proves an id new in one
///   memory access.
/// - The ids of the active segment (committed and staged) with their positions, in memory.
/// - Each sealed segment's ids in its `.ids` file (``SegmentIDTable``), searched only on a filter hit that the
///   active segment does not explain.
struct EventIDIndex {
    private(set) var filter: EventIDFilter
    /// Id → position, for the records of the active segment (and those staged for the next write).
    private(set) var active: [UUID: LogPosition] = [:]

    /// - Parameter log2Bits: the filter's size as a power of two (27 = 16 MiB, 1% false positives at 10M ids).
    init(log2Bits: Int = 27) {
        filter = EventIDFilter(log2Bits: log2Bits)
    }

    /// Adds an id recorded (or staged) at `position`.
    /// - Parameter inActiveSegment: whether the record is in the active segment (kept with its position);
    ///   otherwise only the filter learns it, and the segment's `.ids` file holds it.
    mutating func insert(_ id: UUID, position: LogPosition, inActiveSegment: Bool = true) {
        filter.insert(id)
        if inActiveSegment { active[id] = position }
    }

    /// Forgets a staged id whose write failed (the filter keeps it: a false positive costs only a look-up).
    mutating func removeStaged(_ id: UUID) {
        active[id] = nil
    }

    /// Whether the id may be in the log; false proves it is not.
    @inline(__always)
    func mayContain(_ id: UUID) -> Bool { filter.mayContain(id) }

    /// The active segment's ids in record order, for its `.ids` file when it is sealed.
    func activeIDs(firstPosition: LogPosition, count: Int) -> [UUID]? {
        var ids = [UUID?](repeating: nil, count: count)
        for (id, position) in active where position >= firstPosition && position < firstPosition + LogPosition(count) {
            ids[Int(position - firstPosition)] = id
        }
        // An older log may hold an id twice in one segment: the dictionary then kept one; scan instead.
        guard !ids.contains(nil) else { return nil }
        return ids.map { $0! }
    }

    /// The active segment was sealed: its ids now live in its `.ids` file.
    mutating func sealActive() {
        active.removeAll(keepingCapacity: true)
    }
}
