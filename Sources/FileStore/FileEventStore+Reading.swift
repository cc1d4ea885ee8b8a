import EventLog
#if canImport(Glibc)
import Glibc
#endif

extension FileEventStore {
    /// Reads whole frames from one segment into one buffer and hands them out as a batch, checking each frame's
    /// length, checksum and position on the way.
    ///
    /// Each record's chain hash is checked against the previous record's (one SHA-256 per record): an edited record
    /// whose checksum was recomputed ends the batch before it, and the next read fails with
    /// `EventLogError/Code/hashChainBroken`. The SHA-256 covers every byte the frame's CRC-32C covers, so a record
    /// whose chain is checked here skips the CRC; the CRC is computed only when such a record then fails (a wrong
    /// position or chain hash), to report damage as the CRC's failure (`corruptRecord`) exactly as before. Records
    /// whose chain was checked already in this process are not hashed again and keep the CRC.
    /// - Throws: `Catalog/IndexMismatch` when the first frame, found through an index loaded from its file, is
    ///   not the record asked for (the caller rebuilds the index and reads again).
    func readBatch(_ plan: Catalog.ReadPlan, filter: LogFilter, maxCount: Int) throws -> EventBatch {
        let remaining = plan.endOffset - plan.startOffset
        var length = min(remaining, min(options.readChunkSize, max(64 << 10, maxCount * 512)))
        while true {
            let bytes = try plan.file.read(count: length, at: plan.startOffset)
            var spans: [EventBatch.Span] = []
            spans.reserveCapacity(min(maxCount, 16384))
            var expected = plan.firstPosition
            var chain = plan.previousHash
            var consumed = 0
            var needed = 0
            var failure: EventLogError?
            // The chain hash of the frame at `offset`, computed together with the one before it (below).
            var ahead: (offset: Int, hash: RecordHash)?
            bytes.withUnsafeBytes { raw in
                while consumed < raw.count, spans.count < maxCount {
                    let hashed = plan.verified?.contains(expected) != true
                    switch SegmentFormat.checkFrame(raw, at: consumed, checksum: !hashed) {
                    case .record(let bodyOffset, let bodyLength):
                        let view = RecordView(body: UnsafeRawBufferPointer(rebasing: raw[bodyOffset..<(bodyOffset + bodyLength)]))
                        guard view.position == expected else {
                            failure = hashed && SegmentFormat.checksumFails(raw, at: consumed)
                                ? damage(at: plan, offset: consumed, position: expected, SegmentFormat.crcFailure)
                                : damage(at: plan, offset: consumed, position: expected,
                                         "the record holds position \(view.position) where \(expected) belongs")
                            return
                        }
                        if !hashed {
                            chain = view.hash  // checked already in this process
                        } else {
                            let computed: RecordHash
                            if let a = ahead, a.offset == consumed {
                                computed = a.hash
                            } else if plan.verified?.contains(expected + 1) != true,
                                      case .record(let nextOffset, let nextLength) = SegmentFormat.checkFrame(
                                          raw, at: bodyOffset + bodyLength, checksum: false) {
                                // Two records hashed at once (interleaved, nearly twice the throughput): the next one
                                // against this one's stored hash, which is its predecessor's only if this one checks
                                // out below; if it does not, the read stops here and the second hash is never used.
                                let next = UnsafeRawBufferPointer(rebasing: raw[nextOffset..<(nextOffset + nextLength)])
                                let pair = RecordHash.chaining(chain, body: view.body, view.hash, body: next)
                                computed = pair.0
                                ahead = (bodyOffset + bodyLength, pair.1)
                            } else {
                                computed = RecordHash.chaining(chain, body: view.body)
                            }
                            guard computed == view.hash else {
                                if SegmentFormat.checksumFails(raw, at: consumed) {
                                    failure = damage(at: plan, offset: consumed, position: expected, SegmentFormat.crcFailure)
                                    return
                                }
                                failure = damage(at: plan, offset: consumed, position: expected, code: .hashChainBroken,
                                                 "the record's chain hash does not follow from the previous record: it was altered")
                                return
                            }
                            chain = computed
                        }
                        if filter.matches(view) {
                            spans.append(EventBatch.Span(start: UInt32(bodyOffset), length: UInt32(bodyLength)))
                        }
                        expected += 1
                        consumed = bodyOffset + bodyLength
                    case .truncated:
                        if bytes.count < length || plan.startOffset + consumed + SegmentFormat.frameHeaderSize > plan.endOffset {
                            failure = damage(at: plan, offset: consumed, position: expected, "the record is cut short inside committed data")
                        }
                        if consumed == 0 {
                            needed = SegmentFormat.frameHeaderSize
                                + Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
                        }
                        return
                    case .damaged(let reason):
                        failure = damage(at: plan, offset: consumed, position: expected, reason)
                        return
                    }
                }
            }
            if let failure {
                if expected == plan.firstPosition && !plan.indexBuiltHere && failure.code == .corruptRecord {
                    throw Catalog.IndexMismatch(segment: plan.segment, offset: plan.startOffset, failure: failure)
                }
                // The writer must not append after damage that a read found (an edited sealed record).
                catalog.withLock { c in if c.damage == nil { c.damage = failure } }
                // Hand out the good records before the damage; the next read starts at it and fails.
                if expected == plan.firstPosition { throw failure }
                remember(plan.firstPosition, expected - 1, chain)
                return EventBatch(storage: bytes, spans: spans, nextPosition: expected)
            }
            if consumed == 0 && needed > 0 {
                // A single record larger than the chunk: read it whole.
                guard needed <= remaining else {
                    throw damage(at: plan, offset: 0, position: expected, "the frame runs past the committed end of the segment")
                }
                length = needed
                continue
            }
            remember(plan.firstPosition, expected - 1, chain)
            return EventBatch(storage: bytes, spans: spans, nextPosition: expected)
        }
    }

    /// Notes how far reads checked the chain, so that the next sequential read starts from it without a look back.
    private func remember(_ first: LogPosition, _ position: LogPosition, _ hash: RecordHash) {
        catalog.withLock { c in
            c.chain = (position, hash)
            if position >= first { c.noteVerified(first...position) }
        }
    }

    func damage(at plan: Catalog.ReadPlan, offset: Int, position: LogPosition, code: EventLogError.Code = .corruptRecord,
                _ reason: String) -> EventLogError {
        EventLogError(code, reason, position: position,
                      location: "\(directory)/\(plan.segmentName) offset \(plan.startOffset + offset)")
    }

    /// Every record of a stream, oldest first, found through the segment indexes (each entry checked against the
    /// record it points to, each record's chain hash against its predecessor's).
    func streamRecords(_ stream: StreamID) throws -> [RecordedEvent] {
        try catalog.withLock { c in try c.streamRecords(stream, directory: directory) }
    }

    /// For a read-only store: picks up records the writing process committed since the last look.
    func refresh() throws {
        while try refreshOnce() {}
    }

    /// Scans the last segment's new records; true when the writer had started a next segment, to scan too.
    private func refreshOnce() throws -> Bool {
        try catalog.withLock { c in
            guard !c.closed, var last = c.segments.last else { return false }
            let i = c.segments.count - 1
            var index = try c.loadIndex(i, directory: directory)
            if !index.sortedKeys.isEmpty {
                // Make the sealed-form index appendable again.
                var open = SegmentIndex()
                var byRecord = [UInt64](repeating: 0, count: index.offsets.count)
                for (k, r) in zip(index.sortedKeys, index.sortedRecords) { byRecord[Int(r)] = k }
                for (o, k) in zip(index.offsets, byRecord) { open.add(offset: Int(o), streamKey: k) }
                index = open
            }
            let scan = try SegmentScanner(file: last.file, firstPosition: last.firstPosition)
                .scan(from: last.dataEnd, startingPosition: last.lastPosition + 1) { view, offset in
                    index.add(offset: offset, streamKey: SegmentFormat.streamKey(view.streamBytes))
                }
            last.recordCount += scan.recordCount
            last.dataEnd = scan.dataEnd
            last.index = index
            c.segments[i] = last
            c.head = last.lastPosition
            // The writer may have sealed this segment and started the next.
            let nextPath = directory + "/" + SegmentFormat.segmentName(last.number + 1)
            if scan.ending == .clean, options.io.exists(nextPath) {
                let file = try options.io.open(nextPath, flags: O_RDONLY)
                let header = try file.read(count: SegmentFormat.headerSize, at: 0)
                guard header.count == SegmentFormat.headerSize else { return false }
                let parsed = try SegmentFormat.parseSegmentHeader(header, path: nextPath)
                c.segments[i].sealed = true
                c.segments.append(Segment(number: parsed.number, firstPosition: parsed.firstPosition, file: file,
                                          index: SegmentIndex(), recordCount: 0, dataEnd: SegmentFormat.headerSize, sealed: false))
                return true
            }
            return false
        }
    }
}
