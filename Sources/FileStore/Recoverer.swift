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

    func open() throws -> Opened {
        let writing = !options.readOnly
        let numbers = try Directory.entries(directory).compactMap { name -> UInt64? in
            guard name.hasSuffix(".seg"), name.count == 12 else { return nil }
            return UInt64(name.prefix(8))
        }.sorted()
        var catalog = Catalog()
        var recovery = FileEventStore.Recovery(segments: 0, records: 0, tornBytesCut: 0, indexesRebuilt: 0, damage: nil)
        var versions = StreamVersionTable()
        var ids = writing ? EventIDIndex() : EventIDIndex(log2Bits: 6)
        var head: LogPosition = 0
        var headHash = RecordHash.genesis
        var damage: EventLogError?

        for (i, number) in numbers.enumerated() {
            let isLast = i == numbers.count - 1
            let path = directory + "/" + SegmentFormat.segmentName(number)
            let file = try POSIXFile.open(path, flags: writing ? O_RDWR : O_RDONLY)
            let headerBytes = try file.read(count: SegmentFormat.headerSize, at: 0)
            if headerBytes.count < SegmentFormat.headerSize && isLast && headerBytes.allSatisfy({ $0 == 0 }) {
                // A crash while the segment was being created: write its header again (or, read-only, skip it).
                guard writing else { break }
                try file.truncate(to: 0)
                try file.write(SegmentFormat.segmentHeader(number: number, firstPosition: head + 1, created: options.clock()), at: 0)
                try file.fullSync()
                recovery.tornBytesCut += headerBytes.count
            } else {
                let header = try SegmentFormat.parseSegmentHeader(headerBytes, path: path)
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
            let scan = try SegmentScanner(file: file, firstPosition: first).scan { view, offset in
                index.add(offset: offset, streamKey: SegmentFormat.streamKey(view.streamBytes))
                if writing {
                    versions[StreamVersionTable.key(view.streamBytes)] = view.streamVersion
                    ids.insert(view.id, position: view.position, inActiveSegment: isLast)
                }
            }
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
            }
            var segment = Segment(number: number, firstPosition: first, file: file, index: index,
                                  recordCount: scan.recordCount, dataEnd: scan.dataEnd, sealed: !isLast)
            if !isLast && damage == nil {
                if writing, loadIndex(number: number, firstPosition: first).map({ $0.0.count == scan.recordCount && $0.dataEnd == scan.dataEnd }) != true {
                    var sealed = index
                    sealed.seal()
                    try sealed.write(directory: directory, segment: segment)
                    recovery.indexesRebuilt += 1
                }
                segment.index = nil  // loaded again when a read needs it
            }
            catalog.segments.append(segment)
            if damage != nil { break }
        }

        if catalog.segments.isEmpty && writing && damage == nil {
            let path = directory + "/" + SegmentFormat.segmentName(1)
            let file = try POSIXFile.open(path, flags: O_RDWR | O_EXCL, create: true)
            try file.write(SegmentFormat.segmentHeader(number: 1, firstPosition: 1, created: options.clock()), at: 0)
            try file.fullSync()
            try Directory.sync(directory)
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

    private func loadIndex(number: UInt64, firstPosition: LogPosition) -> (SegmentIndex, dataEnd: Int)? {
        let path = directory + "/" + SegmentFormat.indexName(number)
        guard let file = try? POSIXFile.open(path, flags: O_RDONLY), let bytes = try? file.read(count: file.size, at: 0) else { return nil }
        return SegmentIndex.decode(bytes, segment: number, firstPosition: firstPosition)
    }
}
