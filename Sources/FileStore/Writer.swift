import EventLog
import Foundation

/// The writing side of a file store: the active segment and what the idempotency and version checks need.
///
/// Only the store's writer queue touches it.
final class Writer: @unchecked Sendable {
    // Sendable: confined to `FileEventStore.writerQueue` (a serial queue); never used from elsewhere.
    var active: any StorageFile
    var activeNumber: UInt64
    var activeSize: Int
    var head: LogPosition
    var headHash: RecordHash
    var versions: StreamVersionTable
    var ids: EventIDIndex
    /// The sealed segments' id tables loaded so far, by segment number.
    var idTables: [UInt64: SegmentIDTable] = [:]
    /// What the writer's snapshot file needs besides the tables (`WriterSnapshot`).
    var snapshot = WriterSnapshotState()

    init(active: any StorageFile, activeNumber: UInt64, activeSize: Int, head: LogPosition, headHash: RecordHash,
         versions: StreamVersionTable, ids: EventIDIndex) {
        self.active = active
        self.activeNumber = activeNumber
        self.activeSize = activeSize
        self.head = head
        self.headHash = headHash
        self.versions = versions
        self.ids = ids
    }
}

/// The records of one group commit, framed in one buffer before the single write and sync.
struct Staging {
    struct Record {
        let frameOffset: Int
        let bodyLength: Int
        let key: UInt64
        let stream: StreamID
        let id: UUID
    }

    var buffer: [UInt8] = []
    var records: [Record] = []
    /// Each touched stream's version before each request of this commit (nil: it did not exist), to restore in
    /// reverse order if the write fails.
    var undo: [(StreamID, StreamVersion?)] = []
    /// The position of the first staged record.
    let firstPosition: LogPosition
    var position: LogPosition
    var hash: RecordHash

    init(position: LogPosition, hash: RecordHash) {
        self.firstPosition = position
        self.position = position
        self.hash = hash
    }

    /// The staged record at `position` (at or after ``firstPosition``, before ``position``).
    func record(at position: LogPosition) -> RecordedEvent {
        let r = records[Int(position - firstPosition)]
        return buffer.withUnsafeBytes { raw in
            let start = r.frameOffset + SegmentFormat.frameHeaderSize
            return RecordView(body: UnsafeRawBufferPointer(rebasing: raw[start..<(start + r.bodyLength)])).materialize()
        }
    }
}

extension FileEventStore {
    /// Commits a group of jobs with one write and one sync. Runs on the writer queue.
    func commit(_ jobs: [CommitJob]) {
        guard let writer else { return }
        let refusal: EventLogError? = catalog.withLock { c in
            if c.closed { return EventLogError(.storeClosed, "the store was closed") }
            if let damage = c.damage {
                return EventLogError(.corruptRecord, "appends are refused: the log is damaged (\(damage.message))",
                                     position: damage.position, location: damage.location)
            }
            return nil
        }
        if let refusal {
            for job in jobs { job.continuation.resume(throwing: refusal) }
            return
        }
        var staging = Staging(position: writer.head + 1, hash: writer.headHash)
        let now = options.clock()
        let results = jobs.map { job in
            job.requests.map { request in
                Result { () throws(EventLogError) in try stage(request, into: &staging, writer: writer, now: now) }
            }
        }
        guard !staging.records.isEmpty else {
            for (job, result) in zip(jobs, results) { job.continuation.resume(returning: result) }
            return
        }
        let base = writer.activeSize
        do {
            try writer.active.write(staging.buffer, at: base)
            try writer.active.sync()
        } catch {
            // Nothing of this group is acknowledged: take the bytes and the version table back.
            for (stream, old) in staging.undo.reversed() { writer.versions[stream] = old }
            writer.ids.dropStaged(from: staging.firstPosition)
            do {
                try writer.active.truncate(to: base)
            } catch {
                catalog.withLock { c in
                    c.damage = EventLogError(.ioFailure, "a failed write could not be cut back; reopen the store",
                                             location: writer.active.path)
                }
            }
            for job in jobs { job.continuation.resume(throwing: error) }
            return
        }
        writer.activeSize = base + staging.buffer.count
        instruments.commitGroupSize.record(jobs.count)
        stats.withLock { st in
            st.commits += 1
            st.requests += jobs.reduce(0) { $0 + $1.requests.count }
            st.records += staging.records.count
        }
        writer.head = staging.position - 1
        writer.headHash = staging.hash
        catalog.withLock { c in
            let i = c.segments.count - 1
            // Take the index out while adding, so that it is mutated in place rather than copied.
            var index = c.segments[i].index ?? SegmentIndex()
            c.segments[i].index = nil
            for r in staging.records { index.add(offset: base + r.frameOffset, streamKey: r.key) }
            c.segments[i].index = index
            c.segments[i].recordCount += staging.records.count
            c.segments[i].dataEnd = writer.activeSize
            // The writer chained these records itself from the head's hash.
            c.noteVerified((c.head + 1)...writer.head)
            c.head = writer.head
        }
        signal.publish(head: writer.head)
        for (job, result) in zip(jobs, results) { job.continuation.resume(returning: result) }
        if writer.activeSize >= options.segmentSize { rollSegment(writer) }
    }

    private func stage(_ request: StreamAppend, into s: inout Staging, writer w: Writer, now: Timestamp) throws(EventLogError) -> AppendResult {
        try RecordFormat.validate(request)
        let versionKey = StreamVersionTable.key(request.stream)
        let current = w.versions[versionKey]
        // The filter holds every id committed or staged, so a miss means the id is new anywhere in the log.
        if request.events.contains(where: { w.ids.mayContain($0.id) }) {
            var existing: [RecordedEvent] = []
            for event in request.events where w.ids.mayContain(event.id) {
                do {
                    existing += try storedEvents(withID: event.id, staging: s, writer: w)
                } catch let error as EventLogError {
                    throw error
                } catch {
                    throw EventLogError(.ioFailure, "\(error)", stream: request.stream)
                }
            }
            if let earlier = try Idempotency.judge(request, existing: existing) { return earlier }
        }
        guard request.expected.isSatisfied(byCurrent: current) else {
            throw EventLogError(
                .wrongExpectedVersion,
                "expected \(request.expected), but the stream is at \(current.map { "version \($0)" } ?? "no stream")",
                stream: request.stream)
        }
        var version = current.map { $0 + 1 } ?? 0
        let first = s.position
        let key = SegmentFormat.streamKey(request.stream)
        for event in request.events {
            let frameStart = s.buffer.count
            s.buffer.append(contentsOf: repeatElement(0, count: SegmentFormat.frameHeaderSize))
            s.hash = RecordFormat.encode(
                event, stream: request.stream, position: s.position, streamVersion: version, recordedTime: now,
                previousHash: s.hash, into: &s.buffer)
            SegmentFormat.sealFrame(in: &s.buffer, frameStart: frameStart)
            s.records.append(.init(frameOffset: frameStart, bodyLength: s.buffer.count - frameStart - SegmentFormat.frameHeaderSize,
                                   key: key, stream: request.stream, id: event.id))
            w.ids.insert(event.id, position: s.position)
            s.position += 1
            version += 1
        }
        s.undo.append((request.stream, current))
        w.versions[versionKey] = version - 1
        return AppendResult(streamVersion: version - 1, positions: first...(s.position - 1), wasAlreadyAppended: false)
    }

    /// Seals the active segment (writing its index file) and starts the next one.
    /// On failure the current segment simply keeps growing, and the roll is tried again after the next commit.
    private func rollSegment(_ writer: Writer) {
        do {
            let (index, segment) = catalog.withLock { c in (c.segments[c.segments.count - 1].index!, c.segments[c.segments.count - 1]) }
            var sealed = index
            sealed.seal()
            writer.snapshot.indexCRCs[segment.number] = try sealed.write(directory: directory, segment: segment, io: options.io)
            let ids = try writer.ids.sealedIDs(firstPosition: segment.firstPosition, count: segment.recordCount)
                ?? scanIDs(of: segment)
            try SegmentIDTable.write(ids: ids, segment: segment.number, firstPosition: segment.firstPosition, directory: directory,
                                     io: options.io)
            let number = segment.number + 1
            let path = directory + "/" + SegmentFormat.segmentName(number)
            let file = try options.io.open(path, flags: O_RDWR | O_EXCL, create: true)
            try file.write(SegmentFormat.segmentHeader(number: number, firstPosition: writer.head + 1, created: options.clock()), at: 0)
            try file.fullSync()
            try options.io.syncDirectory(directory)
            catalog.withLock { c in
                let i = c.segments.count - 1
                c.segments[i].sealed = true
                c.segments[i].index = sealed
                c.segments.append(Segment(number: number, firstPosition: writer.head + 1, file: file, index: SegmentIndex(),
                                          recordCount: 0, dataEnd: SegmentFormat.headerSize, sealed: false))
            }
            writer.active = file
            writer.activeNumber = number
            writer.activeSize = SegmentFormat.headerSize
            writer.ids.sealActive()
            saveSnapshot(writer)
        } catch {
            // Keep appending to the current segment; the next commit tries again.
        }
    }
}
