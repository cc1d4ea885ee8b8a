import EventLog
import Foundation

/// Opens a store directory: checks every segment, cuts a torn tail, rebuilds missing indexes, and (for the
/// writer) rebuilds the stream-version table and the event-id filter.
struct Recoverer {
    let directory: String
    let options: FileEventStore.Options

    struct Opened {
        var catalog: Catalog
        var writer: Writer?
        var recovery: FileEventStore.Recovery
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
        var catalog = Catalog(io: options.io)
        var recovery = FileEventStore.Recovery(segments: 0, records: 0, tornBytesCut: 0, indexesRebuilt: 0, damage: nil)
        var versions = StreamVersionTable()
        var ids = writing ? EventIDIndex() : EventIDIndex(log2Bits: 6)
        var head: LogPosition = 0
        var headHash = RecordHash.genesis
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
            if !writing && !isLast, let (index, dataEnd) = loadIndex(number: number, firstPosition: first), dataEnd <= (try file.size) {
                catalog.segments.append(Segment(number: number, firstPosition: first, file: file, index: nil,
                                                recordCount: index.count, dataEnd: dataEnd, sealed: true))
                head += LogPosition(index.count)
                continue
            }
            var index = SegmentIndex()
            var scanner = SegmentScanner(file: file, firstPosition: first)
            if isLast {
                // The tail's chain is checked on open (an edited record there would otherwise be extended by the
                // writer); sealed segments' chains are checked as reads pass them, and by `verify`.
                do {
                    if head > 0 && !writing, let last = catalog.segments.last {
                        headHash = try lastRecordHash(of: last, directory: directory)
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
            let scan = try scanner.scan { view, offset in
                index.add(offset: offset, streamKey: SegmentFormat.streamKey(view.streamBytes))
                if writing {
                    versions[StreamVersionTable.key(view.streamBytes)] = view.streamVersion
                    ids.insert(view.id, position: view.position, inActiveSegment: isLast)
                }
            }
            if isLast && scan.recordCount > 0 { catalog.noteVerified(first...(head + LogPosition(scan.recordCount))) }
            head += LogPosition(scan.recordCount)
            if let h = scan.lastHash { headHash = h }
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
                if writing, loadIndex(number: number, firstPosition: first).map({ $0.0.matches(sealed) && $0.dataEnd == scan.dataEnd }) != true {
                    try sealed.write(directory: directory, segment: segment, io: options.io)
                    recovery.indexesRebuilt += 1
                }
                segment.index = nil  // loaded again when a read needs it
            }
            catalog.segments.append(segment)
            if damage != nil { break }
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
        var writer: Writer?
        if writing, let last = catalog.segments.last {
            writer = Writer(active: last.file, activeNumber: last.number, activeSize: last.dataEnd, head: head, headHash: headHash,
                            versions: versions, ids: ids)
        }
        return Opened(catalog: catalog, writer: writer, recovery: recovery)
    }

    /// The chain hash stored in the last record of a sealed segment (found through its index, checked).
    private func lastRecordHash(of segment: Segment, directory: String) throws -> RecordHash {
        guard segment.recordCount > 0 else { return .genesis }
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

    private func loadIndex(number: UInt64, firstPosition: LogPosition) -> (SegmentIndex, dataEnd: Int)? {
        let path = directory + "/" + SegmentFormat.indexName(number)
        guard let file = try? options.io.open(path, flags: O_RDONLY), let bytes = try? file.read(count: file.size, at: 0) else { return nil }
        return SegmentIndex.decode(bytes, segment: number, firstPosition: firstPosition)
    }
}
