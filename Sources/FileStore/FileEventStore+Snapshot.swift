import EventLog
import Foundation

/// What the writer knows of its snapshot file (`WriterSnapshot`): the store's identity, the position the last
/// snapshot covered, and the body checksum of each sealed segment's index file.
struct WriterSnapshotState {
    /// The first segment's header.
    var identity: [UInt8] = []
    /// The last record the newest snapshot file covers (0: none).
    var position: LogPosition = 0
    /// Segment number → the body CRC-32C of its index file, as written at its seal or checked on open.
    var indexCRCs: [UInt64: UInt32] = [:]
}

extension FileEventStore {
    /// The writer's tables as of its head, encoded; nil when there is nothing to cover or the log is damaged.
    /// Runs on the writer queue (or in `init`, before any append), so the tables are not moving.
    func snapshotBytes(_ writer: Writer) throws -> [UInt8]? {
        guard writer.head > 0, writer.snapshot.identity.count == SegmentFormat.headerSize else { return nil }
        let stamp = try catalog.withLock { c -> (number: UInt64, offset: Int, sealed: [WriterSnapshot.SealedSegment])? in
            guard c.damage == nil, c.head == writer.head else { return nil }
            let i = c.segmentHolding(writer.head)
            let offset = try c.frameOffset(of: writer.head, segment: i, directory: directory)
            var sealed: [WriterSnapshot.SealedSegment] = []
            for s in c.segments where s.sealed {
                guard let crc = writer.snapshot.indexCRCs[s.number] else { return nil }
                sealed.append(.init(number: s.number, firstPosition: s.firstPosition, recordCount: s.recordCount, dataEnd: s.dataEnd, indexCRC: crc))
            }
            return (c.segments[i].number, offset, sealed)
        }
        guard let stamp else { return nil }
        return WriterSnapshot.encode(identity: writer.snapshot.identity, position: writer.head, hash: writer.headHash,
                                     segmentNumber: stamp.number, frameOffset: stamp.offset, sealed: stamp.sealed,
                                     filter: writer.ids.filter, versions: writer.versions)
    }

    /// Encodes the writer's tables now and writes them to `writer.snapshot` on the snapshot queue (the write and
    /// its sync do not hold up appends). A failure is logged and leaves the previous snapshot, which a later open
    /// advances by scanning from its position.
    func saveSnapshot(_ writer: Writer) {
        let bytes: [UInt8]?
        do {
            bytes = try snapshotBytes(writer)
        } catch {
            logger.warning("file store: the writer snapshot could not be made", metadata: ["directory": "\(directory)", "error": "\(error)"])
            return
        }
        guard let bytes else { return }
        writer.snapshot.position = writer.head
        let directory = self.directory, logger = self.logger, io = options.io
        snapshotQueue.async {
            do {
                try WriterSnapshot.write(bytes, directory: directory, io: io)
            } catch {
                logger.warning("file store: the writer snapshot could not be written", metadata: ["directory": "\(directory)", "error": "\(error)"])
            }
        }
    }

    /// On a clean close: a snapshot when enough was appended since the last (see ``Options/snapshotInterval``), then
    /// waits for every snapshot write to finish.
    func snapshotOnClose() async {
        if let writer {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                writerQueue.async {
                    let activeFirst = self.catalog.withLock { $0.segments.last?.firstPosition ?? 1 }
                    let behind = writer.head - writer.snapshot.position
                    // Also when the last snapshot stops before the active segment (its save at a seal failed).
                    if behind > 0 && (behind >= LogPosition(self.options.snapshotInterval) || writer.snapshot.position + 1 < activeFirst) {
                        self.saveSnapshot(writer)
                    }
                    c.resume()
                }
            }
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in snapshotQueue.async { c.resume() } }
    }
}
