import EventLog
import Foundation

extension PostgresEventStore {
    /// Reads committed records from `position` in global order; see `EventStore/read(from:filter:maxCount:)`.
    ///
    /// Unfiltered reads stream through binary `COPY … TO STDOUT` (a large read as two halves on two connections);
    /// category reads are one prepared statement. At most 131,072 records per call.
    public func read(from position: LogPosition, filter: LogFilter, maxCount: Int) async throws -> EventBatch {
        let batch = try await readUncounted(from: position, filter: filter, maxCount: maxCount)
        instruments.countRead(batch)
        return batch
    }

    func readUncounted(from position: LogPosition, filter: LogFilter, maxCount: Int) async throws -> EventBatch {
        try checkOpen()
        let from = Int64(clamping: max(position, 1))
        // At most 131,072 records per read (the contract allows fewer than asked): keeps a batch's storage well
        // inside the 32-bit offsets of `EventBatch.Span` for ordinary events.
        let limit = Int64(min(max(maxCount, 1), 1 << 17))
        let events = schema.events, head = schema.head
        guard let category = filter.category else {
            return try await Self.mapErrors { try await readRange(from: LogPosition(from), limit: Int(limit)) }
        }
        return try await Self.mapErrors {
            try await readers.run { connection in
                var p = PGParameters()
                p.append(from)
                p.append(category)
                p.append(limit)
                // The head row travels with the rows, read in the same snapshot: it says how far a short
                // filtered read looked.
                let result = try connection.query(
                    prepared: "read_category",
                    """
                    (SELECT position, record FROM \(events)
                     WHERE position >= $1 AND split_part(stream_id, '-', 1) = $2 ORDER BY position LIMIT $3)
                    UNION ALL
                    SELECT last_position, NULL FROM \(head)
                    """, p, context: "read category")
                return try Self.batch(from: result, start: LogPosition(from), limit: Int(limit), filtered: true)
            }
        }
    }

    /// Reads up to `limit` records from `from`: a large read is split in two halves read at once on two reader
    /// connections (two server processes and two client threads: a replay uses both cores), then joined.
    func readRange(from: LogPosition, limit: Int) async throws -> EventBatch {
        let events = schema.events
        guard limit >= 2048 else {
            return try await readers.run { try Self.copyBatch($0, events: events, from: from, limit: limit) }
        }
        let half = limit / 2
        async let first = readers.run { try Self.copyBatch($0, events: events, from: from, limit: half) }
        let second: EventBatch?
        do {
            second = try await readers.run { try Self.copyBatch($0, events: events, from: from + LogPosition(half), limit: limit - half) }
        } catch {
            // Damage at the start of the second half: the first half's records are still handed out, and the
            // next read, starting at the damage, fails.
            second = nil
        }
        let head = try await first
        // The halves are two snapshots. Only a full first half joins the second without a gap; a short one
        // ended at its snapshot's head (or before damage), and anything beyond it is read next time.
        guard head.count == half, let second, !second.isEmpty else { return head }
        return Self.join(head, second)
    }

    /// Concatenates two batches, the second continuing the first.
    static func join(_ a: EventBatch, _ b: EventBatch) -> EventBatch {
        var storage = a.storage
        storage.append(contentsOf: b.storage)
        var spans = a.spans
        spans.reserveCapacity(a.spans.count + b.spans.count)
        let shift = UInt32(a.storage.count)
        for s in b.spans { spans.append(EventBatch.Span(start: s.start + shift, length: s.length)) }
        return EventBatch(storage: storage, spans: spans, nextPosition: b.nextPosition)
    }

    /// Reads `limit` positions from `from` with `COPY (SELECT record …) TO STDOUT (FORMAT binary)`: each tuple's one
    /// field is a canonical body, checked (lengths, position, chain hash) and appended to the batch's storage as it
    /// arrives. No result set is built and nothing is converted, so a whole-log replay runs at the speed of the COPY
    /// itself; the chain check (one SHA-256 per record) runs here, on the reader's thread while the server sends
    /// the next rows, and on both halves of a large read at once.
    ///
    /// The record before `from` comes too, for its hash (the chain's link into this read). A record whose hash does
    /// not follow ends the batch before it; a read starting at it fails with `EventLogError/Code/hashChainBroken`.
    ///
    /// COPY takes no parameters: the only values in its text are the two integers bounding the range, formatted
    /// here from typed positions. Positions are gapless, so the range holds at most `limit` rows, in order.
    static func copyBatch(_ connection: PGConnection, events: String, from: LogPosition, limit: Int) throws -> EventBatch {
        let end = from + LogPosition(limit)
        var storage: [UInt8] = []
        storage.reserveCapacity(min(limit, 1 << 16) * 256)
        var spans: [EventBatch.Span] = []
        spans.reserveCapacity(min(limit, 1 << 16))
        var next = from
        // The chain hash before `next`: from the record before `from` (read first) or the genesis hash.
        var chain: RecordHash? = from == 1 ? .genesis : nil
        var failure: EventLogError?
        try connection.copyOutBinaryRows(
            "COPY (SELECT record FROM \(events) WHERE position >= \(from == 1 ? 1 : from - 1) AND position < \(end) ORDER BY position) TO STDOUT (FORMAT binary)",
            context: "read"
        ) { data in
            // One field: count (2 bytes) = 1, length (4 bytes), the record.
            guard data.count >= 6, PGBinary.load(Int16.self, from: data) == 1,
                Int(PGBinary.load(Int32.self, from: data, at: 2)) == data.count - 6
            else {
                throw EventLogError(.corruptRecord, "a COPY row does not hold one record", position: next)
            }
            if failure != nil { return }  // the rest of the range is not handed out
            let record = UnsafeRawBufferPointer(rebasing: data[6...])
            guard let previous = chain else {
                try EventRow.check(record, position: from - 1)
                chain = RecordView(body: record).hash
                return
            }
            try EventRow.check(record, position: next)
            let view = RecordView(body: record)
            guard RecordHash.chaining(previous, body: record) == view.hash else {
                failure = EventLogError(
                    .hashChainBroken, "the record's chain hash does not follow from the previous record: it was altered",
                    position: next)
                return
            }
            chain = view.hash
            let begin = storage.count
            storage.append(contentsOf: record)
            spans.append(EventBatch.Span(start: UInt32(begin), length: UInt32(record.count)))
            next += 1
        }
        if let failure, spans.isEmpty { throw failure }
        return EventBatch(storage: storage, spans: spans, nextPosition: next)
    }

    /// Builds a batch from rows of `(position, record)` (and, for a filtered read, the head row, recognised by its
    /// NULL record).
    static func batch(from result: PGResult, start: LogPosition, limit: Int, filtered: Bool) throws(EventLogError) -> EventBatch {
        let rows = result.rowCount
        var storage: [UInt8] = []
        var spans: [EventBatch.Span] = []
        spans.reserveCapacity(rows)
        var bytes = 0
        for row in 0..<rows { bytes += result.length(row, 1) }
        storage.reserveCapacity(bytes)
        var next = start
        var head: LogPosition?
        for row in 0..<rows {
            let position = LogPosition(bitPattern: result.int64(row, 0))
            if filtered, result.isNull(row, 1) {
                head = position
                continue
            }
            let record = result.bytes(row, 1)
            try EventRow.check(record, position: position)
            let begin = storage.count
            storage.append(contentsOf: record)
            spans.append(EventBatch.Span(start: UInt32(begin), length: UInt32(record.count)))
            next = position + 1
        }
        if filtered, spans.count < limit, let head { next = max(next, head + 1) }
        return EventBatch(storage: storage, spans: spans, nextPosition: next)
    }

    /// Reads one stream by version through the `(stream_id, stream_version)` index; see
    /// `EventStore/readStream(_:from:direction:maxCount:)`.
    public func readStream(
        _ stream: StreamID, from version: StreamVersion, direction: ReadDirection, maxCount: Int
    ) async throws -> [RecordedEvent] {
        try checkOpen()
        guard maxCount > 0 else { return [] }
        let events = schema.events
        return try await Self.mapErrors {
            try await readers.run { connection in
                var p = PGParameters()
                p.append(stream.rawValue)
                p.append(Int64(clamping: version))
                p.append(Int64(maxCount))
                let result: PGResult
                switch direction {
                case .forward:
                    result = try connection.query(
                        prepared: "read_stream_forward",
                        """
                        SELECT record FROM \(events)
                        WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3
                        """, p, context: "read stream")
                case .backward:
                    result = try connection.query(
                        prepared: "read_stream_backward",
                        """
                        SELECT record FROM \(events)
                        WHERE stream_id = $1 AND stream_version <= $2 ORDER BY stream_version DESC LIMIT $3
                        """, p, context: "read stream")
                }
                let read = try EventRow.recordedEvents(result)
                // The key columns found the rows; the records must agree with them.
                for e in read where e.stream != stream {
                    throw EventLogError(.corruptRecord, "a row of the stream holds a record of another stream", position: e.position)
                }
                return read
            }
        }
    }

    /// The last committed position, from the head row.
    public func headPosition() async throws -> LogPosition {
        try checkOpen()
        let head = schema.head
        return try await Self.mapErrors {
            try await readers.run { connection in
                let r = try connection.query(
                    prepared: "head", "SELECT last_position FROM \(head)", PGParameters(), context: "head position")
                return LogPosition(bitPattern: r.int64(0, 0))
            }
        }
    }

    /// The versions of many streams in one query (the streams as a text array, in the order asked).
    public func streamVersions(_ streams: [StreamID]) async throws -> [StreamVersion?] {
        try checkOpen()
        if streams.isEmpty { return [] }
        let events = schema.events
        return try await Self.mapErrors {
            try await readers.run { connection in
                var p = PGParameters()
                p.append(textArray: streams.lazy.map(\.rawValue))
                let r = try connection.query(
                    prepared: "stream_versions",
                    """
                    SELECT (SELECT max(e.stream_version) FROM \(events) e WHERE e.stream_id = s.stream_id)
                    FROM unnest($1::text[]) WITH ORDINALITY AS s(stream_id, n) ORDER BY s.n
                    """, p, context: "stream versions")
                guard r.rowCount == streams.count else {
                    throw EventLogError(.ioFailure, "the server answered \(r.rowCount) stream versions for \(streams.count) streams")
                }
                return (0..<streams.count).map { r.isNull($0, 0) ? nil : StreamVersion(bitPattern: r.int64($0, 0)) }
            }
        }
    }

    /// The version of a stream's last event, or nil when it has none.
    public func streamVersion(of stream: StreamID) async throws -> StreamVersion? {
        try checkOpen()
        let events = schema.events
        return try await Self.mapErrors {
            try await readers.run { connection in
                var p = PGParameters()
                p.append(stream.rawValue)
                let r = try connection.query(
                    prepared: "stream_version", "SELECT max(stream_version) FROM \(events) WHERE stream_id = $1", p,
                    context: "stream version")
                return r.isNull(0, 0) ? nil : StreamVersion(bitPattern: r.int64(0, 0))
            }
        }
    }
}
