import EventLog
#if canImport(Glibc)
import Glibc
#endif

/// One segment file as readers know it.
struct Segment {
    let number: UInt64
    let firstPosition: LogPosition
    let file: POSIXFile
    /// Loaded or built index; nil for a sealed segment whose index is not loaded yet.
    var index: SegmentIndex?
    /// Committed records.
    var recordCount: Int
    /// The offset just past the last committed record.
    var dataEnd: Int
    var sealed: Bool

    var lastPosition: LogPosition { firstPosition + LogPosition(recordCount) - 1 }
    var name: String { SegmentFormat.segmentName(number) }
}

/// What readers see: the segments and the committed head, guarded by the store's mutex.
struct Catalog {
    var segments: [Segment] = []
    var head: LogPosition = 0
    var damage: EventLogError?
    var closed = false

    /// Where to read from `position`, or nil when nothing at or after it is committed.
    struct ReadPlan {
        let file: POSIXFile
        let segmentName: String
        let startOffset: Int
        let endOffset: Int
        let firstPosition: LogPosition
    }

    mutating func plan(reading position: LogPosition, directory: String) throws -> ReadPlan? {
        if closed { throw EventLogError(.storeClosed, "the store was closed") }
        guard position <= head else { return nil }
        var lo = 0, hi = segments.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if segments[mid].firstPosition <= position { lo = mid } else { hi = mid - 1 }
        }
        let i = lo
        guard segments[i].recordCount > 0, position <= segments[i].lastPosition else { return nil }
        let index = try loadIndex(i, directory: directory)
        let offset = Int(index.offsets[Int(position - segments[i].firstPosition)])
        return ReadPlan(file: segments[i].file, segmentName: segments[i].name, startOffset: offset,
                        endOffset: segments[i].dataEnd, firstPosition: position)
    }

    /// The index of segment `i`, loading it from its `.idx` file (or rebuilding it by a scan) the first time.
    mutating func loadIndex(_ i: Int, directory: String) throws -> SegmentIndex {
        if let index = segments[i].index { return index }
        let segment = segments[i]
        let path = directory + "/" + SegmentFormat.indexName(segment.number)
        if let file = try? POSIXFile.open(path, flags: O_RDONLY),
           let bytes = try? file.read(count: file.size, at: 0),
           let (index, dataEnd) = SegmentIndex.decode(bytes, segment: segment.number, firstPosition: segment.firstPosition),
           index.count == segment.recordCount, dataEnd == segment.dataEnd {
            segments[i].index = index
            return index
        }
        var index = SegmentIndex()
        _ = try SegmentScanner(file: segment.file, firstPosition: segment.firstPosition).scan { view, offset in
            index.add(offset: offset, streamKey: SegmentFormat.streamKey(view.streamBytes))
        }
        index.seal()
        segments[i].index = index
        return index
    }

    /// The frames of one stream, oldest first, as (file, offset, segment name) triples.
    mutating func frames(of key: UInt64, directory: String) throws -> [(POSIXFile, Int, String)] {
        if closed { throw EventLogError(.storeClosed, "the store was closed") }
        var result: [(POSIXFile, Int, String)] = []
        for i in segments.indices where segments[i].recordCount > 0 {
            let index = try loadIndex(i, directory: directory)
            for r in index.records(forKey: key) where Int(r) < segments[i].recordCount {
                result.append((segments[i].file, Int(index.offsets[Int(r)]), segments[i].name))
            }
        }
        return result
    }
}
