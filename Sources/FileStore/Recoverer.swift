import EventLog
import Foundation

/// Opens a store directory: checks every segment, cuts a torn tail, rebuilds missing indexes, and (for the
/// writer) rebuilds the stream-version table and the event-id filter, from the writer's snapshot where one fits
/// the log and by scanning the segments it does not cover.
struct Recoverer {
    let directory: String
    let options: FileEventStore.Options

    struct Opened {
        var catalog: Catalog
        var writer: Writer?
        var recovery: FileEventStore.Recovery
        /// Whether the writer's tables were rebuilt by scanning sealed segments (then a fresh snapshot is worth writing).
        var scannedSealed = false
    }

    /// The snapshot does not fit the log after all (found while walking the segments): open again without it.
    private struct SnapshotMismatch: Error {
        let reason: String
    }

    /// The numbers of the segment files in a directory, ascending.
    static func segmentNumbers(_ directory: String, io: any StorageIO = POSIXStorage()) throws -> [UInt64] {
        try io.entries(directory).compactMap { name -> UInt64? in
            guard name.hasSuffix(".seg"), name.count == 12 else { return nil }
            return UInt64(name.prefix(8))
        }.sorted()
    }

    func open() throws -> Opened {
        let writing = !options.readOnly
        let numbers = try Self.segmentNumbers(directory, io: options.io)
        if !writing && numbers.isEmpty {
            throw EventLogError(.storeNotFound, "the directory holds no store (no segment files)", location: directory)
        }
        guard writing && !numbers.isEmpty else { return try open(numbers: numbers, snapshot: nil) }
        // A write cut short by a crash (the writer's snapshot, a segment's id table) leaves its temporary file; under
        // the writer's lock no other process is writing one. A segment's (`NNNNNNNN.seg.tmp`) is a repair's copy of
        // the records it keeps, which a repair killed before its rename leaves as the only copy of them in the store
        // folder (the segment is in `damaged/`): kept for the operator, never removed here.
        for name in try options.io.entries(directory) where name.hasSuffix(".tmp") && !name.hasSuffix(".seg.tmp") {
            options.io.remove(directory + "/" + name)
        }
        var refusal: String?
        var snapshot: WriterSnapshot?
        do {
            snapshot = try WriterSnapshot.load(directory: directory, io: options.io)
            if let s = snapshot { try check(s, numbers: numbers) }
        } catch let r as WriterSnapshot.Refusal {
            refusal = r.description
            snapshot = nil
        }
        if let snapshot {
            do {
                return try open(numbers: numbers, snapshot: snapshot)
            } catch let mismatch as SnapshotMismatch {
                refusal = mismatch.reason
            }
        }
        var opened = try open(numbers: numbers, snapshot: nil)
        opened.recovery.snapshotRefused = refusal
        return opened
    }

    /// Checks a snapshot against the log before anything is taken from it: the same store (its first segment's
    /// header), the sealed segments it saw still there, and the record it ends at still there with the same chain
    /// hash (a log cut back or replaced since has another record there, or none).
    private func check(_ s: WriterSnapshot, numbers: [UInt64]) throws {
        let firstPath = directory + "/" + SegmentFormat.segmentName(numbers[0])
        let identity = try? options.io.open(firstPath, flags: O_RDONLY).read(count: SegmentFormat.headerSize, at: 0)
        guard identity == s.identity else { throw WriterSnapshot.Refusal("it belongs to another store (its first segment's header differs)") }
        guard s.sealed.count < numbers.count, zip(s.sealed, numbers).allSatisfy({ $0.number == $1 }) else {
            throw WriterSnapshot.Refusal("it lists sealed segments the log does not have")
        }
        guard s.position > 0, numbers.contains(s.segmentNumber) else {
            throw WriterSnapshot.Refusal("the log has no segment \(s.segmentNumber), where its last record (position \(s.position)) was")
        }
        let path = directory + "/" + SegmentFormat.segmentName(s.segmentNumber)
        let body: [UInt8]
        do {
            body = try SegmentFormat.recordBody(try options.io.open(path, flags: O_RDONLY), at: s.frameOffset)
        } catch {
            throw WriterSnapshot.Refusal("the log holds no whole record where its last one (position \(s.position)) was: the log was cut back or replaced")
        }
        let (position, hash) = body.withUnsafeBytes { raw in (RecordView(body: raw).position, RecordView(body: raw).hash) }
        guard position == s.position, hash == s.hash else {
            throw WriterSnapshot.Refusal("the record at its last position (\(s.position)) is not the one it covered: the log was cut back or replaced")
        }
    }

    private func open(numbers: [UInt64], snapshot: WriterSnapshot?) throws -> Opened {
        let writing = !options.readOnly
        var catalog = Catalog(io: options.io)
        var recovery = FileEventStore.Recovery(segments: 0, records: 0, tornBytesCut: 0, indexesRebuilt: 0, damage: nil)
        var versions = snapshot?.versions ?? StreamVersionTable()
        var ids = snapshot.map { EventIDIndex(filter: $0.filter) } ?? (writing ? EventIDIndex() : EventIDIndex(log2Bits: 6))
        /// Positions up to here are in the writer's tables already.
        let covered = snapshot?.position ?? 0
        var indexCRCs: [UInt64: UInt32] = [:]
        var scannedSealed = false
        var head: LogPosition = 0
        var headHash = RecordHash.genesis
        /// Whether `headHash` came from scanning the segment before (else it is read from that segment's last record).
        var headHashFromScan = true
        var damage: EventLogError?

        for (i, number) in numbers.enumerated() {
            let isLast = i == numbers.count - 1
            let path = directory + "/" + SegmentFormat.segmentName(number)
            let file = try options.io.open(path, flags: writing ? O_RDWR : O_RDONLY)
            let headerBytes = try file.read(count: SegmentFormat.headerSize, at: 0)
            if headerBytes.count < SegmentFormat.headerSize && isLast && headerBytes.allSatisfy({ $0 == 0 }) {
                // A crash while the segment was being created: write its header again (or, read-only, skip it).
                guard writing else { break }
                try file.truncate(to: 0)
                try file.write(SegmentFormat.segmentHeader(number: number, firstPosition: head + 1, created: options.clock()), at: 0)
                try file.fullSync()
                recovery.tornBytesCut += headerBytes.count
            } else {
                let header: SegmentFormat.SegmentHeader
                do {
                    header = try SegmentFormat.parseSegmentHeader(headerBytes, path: path)
                } catch let error as EventLogError where error.code == .corruptRecord {
                    // A damaged header is damage like any other: reported, reads stop before it, appends refused.
                    var e = error
                    e.position = head + 1
                    damage = e
                    break
                }
                guard header.number == number, header.firstPosition == head + 1 else {
                    damage = EventLogError(.corruptRecord, "the segment starts at position \(header.firstPosition) where \(head + 1) belongs",
                                           position: head + 1, location: path)
                    break
                }
            }
            let first = head + 1
            if let snapshot, i < snapshot.sealed.count {
                // A segment the snapshot saw sealed must still be the same size, at the same positions.
                let s = snapshot.sealed[i]
                guard !isLast, s.number == number, s.firstPosition == first, s.dataEnd == (try file.size),
                      first + LogPosition(s.recordCount) - 1 <= snapshot.position
                else { throw SnapshotMismatch(reason: "segment \(number) is not the sealed segment it saw") }
            }
            if !isLast, let sealed = try sealedWithoutScan(number: number, firstPosition: first, file: file, snapshot: snapshot, position: i,
                                                           next: numbers[i + 1]) {
                // A sealed segment the snapshot covers (writer), or whose index header stands (reader): not read.
                catalog.segments.append(Segment(number: number, firstPosition: first, file: file, index: nil,
                                                recordCount: sealed.recordCount, dataEnd: sealed.dataEnd, sealed: true))
                if let crc = sealed.indexCRC { indexCRCs[number] = crc }
                head += LogPosition(sealed.recordCount)
                headHashFromScan = false
                continue
            }
            var index = SegmentIndex()
            var scanner = SegmentScanner(file: file, firstPosition: first)
            if isLast {
                // The tail's chain is checked on open (an edited record there would otherwise be extended by the
                // writer); sealed segments' chains are checked as reads pass them, and by `verify`.
                do {
                    if head > 0 && !headHashFromScan, let last = catalog.segments.last {
                        // The snapshot's last record was read and its hash compared before: take it when it is this one.
                        if let snapshot, snapshot.position == head {
                            headHash = snapshot.hash
                        } else {
                            headHash = try lastRecordHash(of: last, directory: directory)
                        }
                    }
                    if head > 0, try file.size <= SegmentFormat.headerSize, let last = catalog.segments.last,
                       let broken = try lastRecordBreaksChain(last) {
                        throw broken
                    }
                } catch var error as EventLogError where error.code == .corruptRecord || error.code == .hashChainBroken {
                    // The last sealed record is damaged or altered: reads stop at it, appends are refused.
                    error.position = error.position ?? head
                    damage = error
                    catalog.segments.append(Segment(number: number, firstPosition: first, file: file, index: SegmentIndex(),
                                                    recordCount: 0, dataEnd: SegmentFormat.headerSize, sealed: false))
                    break
                }
                scanner.chainFrom = headHash
            }
            if writing && !isLast { scannedSealed = true }
            let scan = try scanner.scan { view, offset in
                index.add(offset: offset, streamKey: SegmentFormat.streamKey(view.streamBytes))
                if writing {
                    if view.position > covered {
                        versions[StreamVersionTable.key(view.streamBytes)] = view.streamVersion
                        ids.insert(view.id, position: view.position, inActiveSegment: isLast)
                    } else if isLast {
                        // Already in the snapshot's filter; the active segment's ids are kept with their positions too.
                        ids.insert(view.id, position: view.position, inActiveSegment: true, inFilter: true)
                    }
                }
            }
            if isLast && scan.recordCount > 0 { catalog.noteVerified(first...(head + LogPosition(scan.recordCount))) }
            head += LogPosition(scan.recordCount)
            if let h = scan.lastHash { headHash = h }
            headHashFromScan = true
            switch scan.ending {
            case .clean:
                break
            case .torn(let offset) where isLast:
                if writing {
                    let size = try file.size
                    try file.truncate(to: offset)
                    try file.sync()
                    recovery.tornBytesCut += size - offset
                }
            case .torn(let offset):
                damage = EventLogError(.corruptRecord, "a sealed segment ends inside a record", position: head + 1,
                                       location: "\(path) offset \(offset)")
            case .damaged(let offset, let reason):
                damage = EventLogError(.corruptRecord, reason, position: head + 1, location: "\(path) offset \(offset)")
            case .chainBroken(let offset):
                damage = EventLogError(.hashChainBroken, "the record's chain hash does not follow from the previous record: it was altered",
                                       position: head + 1, location: "\(path) offset \(offset)")
            }
            var segment = Segment(number: number, firstPosition: first, file: file, index: index,
                                  recordCount: scan.recordCount, dataEnd: scan.dataEnd, sealed: !isLast)
            if !isLast && damage == nil {
                var sealed = index
                sealed.seal()
                if writing {
                    if let (onDisk, crc) = loadIndex(number: number, firstPosition: first),
                       onDisk.index.matches(sealed) && onDisk.dataEnd == scan.dataEnd {
                        indexCRCs[number] = crc
                    } else {
                        indexCRCs[number] = try sealed.write(directory: directory, segment: segment, io: options.io)
                        recovery.indexesRebuilt += 1
                    }
                }
                segment.index = nil  // loaded again when a read needs it
            }
            catalog.segments.append(segment)
            if damage != nil { break }
        }
        if let snapshot, head < snapshot.position {
            throw SnapshotMismatch(reason: "the log ends at position \(head), before its last record (\(snapshot.position))")
        }

        if catalog.segments.isEmpty && writing && damage == nil {
            recovery.created = numbers.isEmpty
            let path = directory + "/" + SegmentFormat.segmentName(1)
            let file = try options.io.open(path, flags: O_RDWR | O_EXCL, create: true)
            try file.write(SegmentFormat.segmentHeader(number: 1, firstPosition: 1, created: options.clock()), at: 0)
            try file.fullSync()
            try options.io.syncDirectory(directory)
            catalog.segments.append(Segment(number: 1, firstPosition: 1, file: file, index: SegmentIndex(), recordCount: 0,
                                            dataEnd: SegmentFormat.headerSize, sealed: false))
        }
        catalog.head = head
        catalog.damage = damage
        recovery.segments = catalog.segments.count
        recovery.records = head
        recovery.damage = damage
        recovery.snapshotPosition = snapshot?.position
        var writer: Writer?
        if writing, let last = catalog.segments.last {
            let w = Writer(active: last.file, activeNumber: last.number, activeSize: last.dataEnd, head: head, headHash: headHash,
                           versions: versions, ids: ids)
            w.snapshot.identity = try catalog.segments[0].file.read(count: SegmentFormat.headerSize, at: 0)
            w.snapshot.position = snapshot?.position ?? 0
            w.snapshot.indexCRCs = indexCRCs
            writer = w
        }
        return Opened(catalog: catalog, writer: writer, recovery: recovery, scannedSealed: scannedSealed)
    }

    /// What is known of a sealed segment without reading it: from the snapshot (a writer, when the index file is
    /// the one the snapshot saw), or from its index file's header (a reader). Nil: scan it.
    ///
    /// A reader takes the header only when it agrees with the segment and the one after it: the data ends where the
    /// sealed file does, and the next segment starts just after its last record. Another store's index file, or a
    /// stale one, fails that and the segment is scanned (in memory: a reader writes nothing), where taking its count
    /// would misplace every later position and report the next segment as damage.
    private func sealedWithoutScan(number: UInt64, firstPosition: LogPosition, file: any StorageFile, snapshot: WriterSnapshot?,
                                   position i: Int, next: UInt64) throws -> (recordCount: Int, dataEnd: Int, indexCRC: UInt32?)? {
        let writing = !options.readOnly
        if !writing {
            guard let h = indexHeader(number: number, firstPosition: firstPosition), h.dataEnd == (try file.size),
                  let nextFirst = segmentFirstPosition(number: next), nextFirst == firstPosition + LogPosition(h.count)
            else { return nil }
            return (h.count, h.dataEnd, nil)
        }
        guard let snapshot, i < snapshot.sealed.count else { return nil }
        let s = snapshot.sealed[i]
        guard let h = indexHeader(number: number, firstPosition: firstPosition), h.count == s.recordCount, h.dataEnd == s.dataEnd,
              h.bodyCRC == s.indexCRC
        else {
            // The index file is missing, damaged or not the one written at the seal: rebuilt from the segment.
            return nil
        }
        return (s.recordCount, s.dataEnd, s.indexCRC)
    }

    /// The chain hash stored in the last record of a sealed segment (found through its index, checked).
    private func lastRecordHash(of segment: Segment, directory: String) throws -> RecordHash {
        guard segment.recordCount > 0 else { return .genesis }
        // The last offset of the index file alone (4 bytes), checked against the record it points to: no need to
        // load the whole index. Anything amiss takes the long way below (the index loaded, or rebuilt by a scan).
        if let file = try? options.io.open(directory + "/" + SegmentFormat.indexName(segment.number), flags: O_RDONLY),
           let entry = try? file.read(count: 4, at: SegmentFormat.headerSize + 4 * (segment.recordCount - 1)), entry.count == 4 {
            let offset = Int(entry.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) })
            if offset >= SegmentFormat.headerSize, offset < segment.dataEnd, let body = try? SegmentFormat.recordBody(segment.file, at: offset) {
                let (position, hash) = body.withUnsafeBytes { (RecordView(body: $0).position, RecordView(body: $0).hash) }
                if position == segment.lastPosition { return hash }
            }
        }
        var c = Catalog(io: options.io)
        c.segments = [segment]
        return try c.recordBody(at: segment.lastPosition, directory: directory).withUnsafeBytes { RecordView(body: $0).hash }
    }

    /// When the active segment is empty: whether the last record before it fails to follow from its predecessor.
    private func lastRecordBreaksChain(_ segment: Segment) throws -> EventLogError? {
        guard segment.recordCount >= 2 else { return nil }  // a predecessor in an earlier segment: reads and `verify` check it
        var c = Catalog(io: options.io)
        c.segments = [segment]
        let body = try c.recordBody(at: segment.lastPosition, directory: directory)
        let previous = try c.recordBody(at: segment.lastPosition - 1, directory: directory).withUnsafeBytes { RecordView(body: $0).hash }
        let intact = body.withUnsafeBytes { RecordHash.chaining(previous, body: $0) == RecordView(body: $0).hash }
        return intact ? nil : EventLogError(.hashChainBroken, "the last record's chain hash does not follow from the previous record: it was altered",
                                            position: segment.lastPosition, location: "\(directory)/\(segment.name)")
    }

    private func loadIndex(number: UInt64, firstPosition: LogPosition) -> ((index: SegmentIndex, dataEnd: Int), bodyCRC: UInt32)? {
        let path = directory + "/" + SegmentFormat.indexName(number)
        guard let file = try? options.io.open(path, flags: O_RDONLY), let bytes = try? file.read(count: file.size, at: 0),
              let decoded = SegmentIndex.decode(bytes, segment: number, firstPosition: firstPosition)
        else { return nil }
        return (decoded, SegmentIndex.Header.bodyCRC(of: bytes))
    }

    /// The first position a segment's header gives; nil when it cannot be read or is not a segment header (the
    /// segment's own turn in the open reports that).
    private func segmentFirstPosition(number: UInt64) -> LogPosition? {
        let path = directory + "/" + SegmentFormat.segmentName(number)
        guard let file = try? options.io.open(path, flags: O_RDONLY),
              let bytes = try? file.read(count: SegmentFormat.headerSize, at: 0),
              let header = try? SegmentFormat.parseSegmentHeader(bytes, path: path), header.number == number
        else { return nil }
        return header.firstPosition
    }

    /// The header of a segment's index file, checked (its CRC, the segment, the file's length); nil when missing or wrong.
    private func indexHeader(number: UInt64, firstPosition: LogPosition) -> SegmentIndex.Header? {
        let path = directory + "/" + SegmentFormat.indexName(number)
        guard let file = try? options.io.open(path, flags: O_RDONLY), let size = try? file.size,
              let bytes = try? file.read(count: SegmentFormat.headerSize, at: 0),
              let header = SegmentIndex.Header(bytes, segment: number, firstPosition: firstPosition),
              size == SegmentFormat.headerSize + header.count * 16
        else { return nil }
        return header
    }
}
