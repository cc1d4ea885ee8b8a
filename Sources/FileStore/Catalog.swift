import EventLog
#if canImport(Glibc)
import Glibc
#endif

/// One segment file as readers know it.
struct Segment {
    let number: UInt64
    let firstPosition: LogPosition
    let file: any StorageFile
    /// Loaded or built index; nil for a sealed segment whose index is not loaded yet.
    var index: SegmentIndex?
    /// Whether ``index`` was built from the segment itself (a scan, or the writer's commits) rather than loaded
    /// from its `.idx` file: a loaded index is a hint, each entry checked against the record it points to.
    var indexBuiltHere = true
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
    /// Where index files are read from.
    var io: any StorageIO = POSIXStorage()
    var segments: [Segment] = []
    var head: LogPosition = 0
    var damage: EventLogError?
    var closed = false
    /// The last position a log read checked the chain up to, and its hash: where the next read's chain starts.
    var chain: (position: LogPosition, hash: RecordHash)?
    /// Positions whose chain hashes this process has already checked (the active segment on open, the writer's own
    /// commits, earlier reads): reads take their stored hashes without hashing them again.
    var verified: ClosedRange<LogPosition>?

    /// Notes that the chain of `range` was checked, keeping one contiguous range.
    mutating func noteVerified(_ range: ClosedRange<LogPosition>) {
        guard let v = verified else { verified = range; return }
        if range.lowerBound <= v.upperBound + 1 && v.lowerBound <= range.upperBound + 1 {
            verified = min(v.lowerBound, range.lowerBound)...max(v.upperBound, range.upperBound)
        } else if range.count > v.count {
            verified = range
        }
    }

    /// Where to read from `position`, or nil when nothing at or after it is committed.
    struct ReadPlan {
        let file: any StorageFile
        let segment: Int
        let segmentName: String
        let startOffset: Int
        let endOffset: Int
        let firstPosition: LogPosition
        /// The chain hash of the record before `firstPosition`.
        let previousHash: RecordHash
        /// Whether the start offset came from an index built here (else from an `.idx` file: a hint).
        let indexBuiltHere: Bool
        /// Positions whose chain was already checked (`Catalog/verified`).
        let verified: ClosedRange<LogPosition>?
    }

    /// An index entry that does not match the record it points to.
    struct IndexMismatch: Error {
        let segment: Int
        let offset: Int
        /// What the read found at the offset: thrown if the rebuilt index points to the same place.
        let failure: EventLogError
    }

    mutating func plan(reading position: LogPosition, directory: String) throws -> ReadPlan? {
        if closed { throw EventLogError(.storeClosed, "the store was closed") }
        guard position <= head else { return nil }
        let i = segmentHolding(position)
        guard segments[i].recordCount > 0, position <= segments[i].lastPosition else { return nil }
        let offset = try frameOffset(of: position, segment: i, directory: directory)
        let previous = try hash(before: position, known: chain, directory: directory)
        return ReadPlan(file: segments[i].file, segment: i, segmentName: segments[i].name, startOffset: offset,
                        endOffset: segments[i].dataEnd, firstPosition: position, previousHash: previous,
                        indexBuiltHere: segments[i].indexBuiltHere, verified: verified)
    }

    /// The segment whose range holds `position` (the last one starting at or before it).
    func segmentHolding(_ position: LogPosition) -> Int {
        var lo = 0, hi = segments.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if segments[mid].firstPosition <= position { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The frame offset of a committed position in segment `i`, from its index.
    mutating func frameOffset(of position: LogPosition, segment i: Int, directory: String) throws -> Int {
        let index = try loadIndex(i, directory: directory)
        let r = Int(position - segments[i].firstPosition)
        guard r < index.count else {
            throw EventLogError(.corruptRecord, "the segment's index does not reach this position", position: position,
                                location: "\(directory)/\(segments[i].name)")
        }
        return Int(index.offsets[r])
    }

    /// The chain hash of the record before `position`: the genesis hash before the first, `known` when it is that
    /// record's, else read from the log.
    mutating func hash(before position: LogPosition, known: (position: LogPosition, hash: RecordHash)?,
                       directory: String) throws -> RecordHash {
        if position == 1 { return .genesis }
        if let known, known.position == position - 1 { return known.hash }
        return try recordBody(at: position - 1, directory: directory).withUnsafeBytes { RecordView(body: $0).hash }
    }

    /// The body of the committed record at `position`, checked (frame, checksum, position). An index entry that
    /// points elsewhere makes the index be rebuilt from its segment, once.
    mutating func recordBody(at position: LogPosition, directory: String) throws -> [UInt8] {
        let i = segmentHolding(position)
        while true {
            let offset = try frameOffset(of: position, segment: i, directory: directory)
            let body: [UInt8]
            do {
                body = try SegmentFormat.recordBody(segments[i].file, at: offset)
            } catch let error as EventLogError where !segments[i].indexBuiltHere {
                _ = error
                try rebuildIndex(i)
                continue
            } catch var error as EventLogError {
                error.position = position
                throw error
            }
            let found = body.withUnsafeBytes { RecordView(body: $0).position }
            if found == position { return body }
            if !segments[i].indexBuiltHere {
                try rebuildIndex(i)
                continue
            }
            throw EventLogError(.corruptRecord, "the record holds position \(found) where \(position) belongs", position: position,
                                location: "\(directory)/\(segments[i].name) offset \(offset)")
        }
    }

    /// The index of segment `i`, loading it from its `.idx` file (or rebuilding it by a scan) the first time.
    mutating func loadIndex(_ i: Int, directory: String) throws -> SegmentIndex {
        if let index = segments[i].index { return index }
        let segment = segments[i]
        let path = directory + "/" + SegmentFormat.indexName(segment.number)
        if let file = try? io.open(path, flags: O_RDONLY),
           let bytes = try? file.read(count: file.size, at: 0),
           let (index, dataEnd) = SegmentIndex.decode(bytes, segment: segment.number, firstPosition: segment.firstPosition),
           index.count == segment.recordCount, dataEnd == segment.dataEnd {
            segments[i].index = index
            segments[i].indexBuiltHere = false
            return index
        }
        return try rebuildIndex(i)
    }

    /// Builds segment `i`'s index by scanning the segment (its records up to the committed end), replacing any
    /// loaded one.
    @discardableResult
    mutating func rebuildIndex(_ i: Int) throws -> SegmentIndex {
        let segment = segments[i]
        var index = SegmentIndex()
        _ = try SegmentScanner(file: segment.file, firstPosition: segment.firstPosition).scan { view, offset in
            if index.count < segment.recordCount {
                index.add(offset: offset, streamKey: SegmentFormat.streamKey(view.streamBytes))
            }
        }
        index.seal()
        segments[i].index = index
        segments[i].indexBuiltHere = true
        return index
    }

    /// Every record of a stream, oldest first, found through the segment indexes; each index entry is checked
    /// against the record it points to (position and stream key) and each record's chain hash against its
    /// predecessor's (taken from the record just read when that is the predecessor: consecutive records of one
    /// stream are read once each).
    mutating func streamRecords(_ stream: StreamID, directory: String) throws -> [RecordedEvent] {
        if closed { throw EventLogError(.storeClosed, "the store was closed") }
        let key = SegmentFormat.streamKey(stream)
        var result: [RecordedEvent] = []
        // The last record read and checked here, whose hash chains the next position.
        var last: (position: LogPosition, hash: RecordHash)?
        var i = 0
        while i < segments.count {
            guard segments[i].recordCount > 0 else { i += 1; continue }
            let index = try loadIndex(i, directory: directory)
            let loaded = !segments[i].indexBuiltHere
            var found: [RecordedEvent] = []
            var mismatch = false
            var restart = false
            for r in index.records(forKey: key) where Int(r) < segments[i].recordCount {
                let position = segments[i].firstPosition + LogPosition(r)
                let body = try recordBody(at: position, directory: directory)
                if loaded && segments[i].indexBuiltHere {
                    // An offset did not match its record and the index was rebuilt: look this segment up again.
                    restart = true
                    break
                }
                let record: RecordedEvent? = try body.withUnsafeBytes { raw in
                    let view = RecordView(body: raw)
                    guard SegmentFormat.streamKey(view.streamBytes) == key else { return nil }
                    let previous = try hash(before: position, known: last, directory: directory)
                    guard RecordHash.chaining(previous, body: raw) == view.hash else {
                        throw EventLogError(.hashChainBroken, "the record's chain hash does not follow from the previous record: it was altered",
                                            position: position, location: "\(directory)/\(segments[i].name)")
                    }
                    last = (position, view.hash)
                    // Two streams can share a 64-bit key: keep only this stream's records.
                    var name = stream.rawValue
                    let same = name.withUTF8 { s in
                        s.count == view.streamBytes.count && memcmp(s.baseAddress!, view.streamBytes.baseAddress!, s.count) == 0
                    }
                    return same ? view.materialize() : RecordedEvent?.none
                }
                if let record {
                    found.append(record)
                } else if SegmentFormat.streamKey(body.withUnsafeBytes { RecordView(body: $0).streamBytes }) != key {
                    mismatch = true
                    break
                }
            }
            if restart || (loaded && segments[i].indexBuiltHere) { continue }
            if mismatch {
                // The index files a record under a key that is not its stream's: a forged or stale index.
                guard !segments[i].indexBuiltHere else {
                    throw EventLogError(.corruptRecord, "the segment's index does not match its records", location: "\(directory)/\(segments[i].name)")
                }
                try rebuildIndex(i)
                continue
            }
            result += found
            i += 1
        }
        return result
    }

    /// Compares every sealed segment's index file with its segment; the first that disagrees, if any.
    mutating func auditIndexes(directory: String) throws -> EventLogError? {
        for i in segments.indices where segments[i].sealed {
            let segment = segments[i]
            let path = directory + "/" + SegmentFormat.indexName(segment.number)
            guard io.exists(path) else { continue }  // a missing index is rebuilt when needed
            var scanned = SegmentIndex()
            _ = try SegmentScanner(file: segment.file, firstPosition: segment.firstPosition).scan { view, offset in
                scanned.add(offset: offset, streamKey: SegmentFormat.streamKey(view.streamBytes))
            }
            scanned.seal()
            let file = try io.open(path, flags: O_RDONLY)
            let decoded = SegmentIndex.decode(try file.read(count: file.size, at: 0), segment: segment.number, firstPosition: segment.firstPosition)
            guard let (index, dataEnd) = decoded, index.matches(scanned), dataEnd == segment.dataEnd else {
                return EventLogError(
                    .corruptRecord,
                    "the index file does not match its segment (reads check each entry and rebuild it; a writing open rewrites it)",
                    position: segment.firstPosition, location: path)
            }
        }
        return nil
    }
}
