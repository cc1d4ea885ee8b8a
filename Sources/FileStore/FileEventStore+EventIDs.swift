import EventLog
import Foundation

extension FileEventStore {
    /// Every event in the log, or staged for the next write, whose id is `id`: none or one (an older log may
    /// hold an id more than once). Runs on the writer queue, only when the id filter says the id may be known.
    ///
    /// The active segment's ids are in memory (`EventIDIndex`); each sealed segment's are in its `.ids` table (loaded once,
    /// rebuilt from the segment when missing or damaged). Every record a table points to is read back and its id
    /// compared, so a wrong table is rebuilt rather than believed.
    func storedEvents(withID id: UUID, staging: Staging, writer: Writer) throws -> [RecordedEvent] {
        var found: [RecordedEvent] = []
        for position in writer.ids.activePositions(of: id) {
            let record = position >= staging.firstPosition ? staging.record(at: position) : try committedRecord(at: position)
            guard record.id == id else {
                throw EventLogError(.corruptRecord, "the record at this position does not hold the event id the writer recorded for it",
                                    position: position, location: writer.active.path)
            }
            found.append(record)
        }
        let sealed = catalog.withLock { c in c.segments.filter { $0.sealed && $0.recordCount > 0 } }
        for segment in sealed.reversed() {
            var rebuilt = false
            while true {
                let table = try idTable(of: segment, writer: writer, rebuild: rebuilt)
                var here: [RecordedEvent] = []
                var wrong = false
                for r in try table.records(of: id) {
                    let record = try committedRecord(at: segment.firstPosition + LogPosition(r))
                    if record.id == id { here.append(record) } else { wrong = true }
                }
                if wrong && !rebuilt {
                    rebuilt = true
                    continue
                }
                found += here
                break
            }
        }
        return found.sorted { $0.position < $1.position }
    }

    /// The id table of a sealed segment: loaded once and kept by the writer, or rebuilt by scanning the segment.
    private func idTable(of segment: Segment, writer: Writer, rebuild: Bool) throws -> SegmentIDTable {
        if !rebuild, let table = writer.idTables[segment.number] { return table }
        if !rebuild, let table = SegmentIDTable.load(
            directory: directory, segment: segment.number, firstPosition: segment.firstPosition, recordCount: segment.recordCount, io: options.io) {
            writer.idTables[segment.number] = table
            return table
        }
        try SegmentIDTable.write(ids: try scanIDs(of: segment), segment: segment.number, firstPosition: segment.firstPosition,
                                 directory: directory, io: options.io)
        guard let table = SegmentIDTable.load(
            directory: directory, segment: segment.number, firstPosition: segment.firstPosition, recordCount: segment.recordCount, io: options.io)
        else {
            throw EventLogError(.ioFailure, "the event id table just written could not be read back",
                                location: directory + "/" + SegmentIDTable.fileName(segment.number))
        }
        writer.idTables[segment.number] = table
        return table
    }

    /// The event ids of a segment's committed records, in record order, read from the segment itself.
    func scanIDs(of segment: Segment) throws -> [UUID] {
        var ids: [UUID] = []
        ids.reserveCapacity(segment.recordCount)
        _ = try SegmentScanner(file: segment.file, firstPosition: segment.firstPosition).scan { view, _ in
            if ids.count < segment.recordCount { ids.append(view.id) }
        }
        guard ids.count == segment.recordCount else {
            throw EventLogError(.corruptRecord, "the segment holds fewer whole records than committed",
                                position: segment.firstPosition + LogPosition(ids.count), location: directory + "/" + segment.name)
        }
        return ids
    }

    /// The committed record at `position`, read and checked like any read.
    func committedRecord(at position: LogPosition) throws -> RecordedEvent {
        guard let plan = try catalog.withLock({ c in try c.plan(reading: position, directory: directory) }),
              let record = try readBatch(plan, filter: .all, maxCount: 1).events.first, record.position == position
        else {
            throw EventLogError(.corruptRecord, "a committed record could not be read back", position: position, location: directory)
        }
        return record
    }
}
