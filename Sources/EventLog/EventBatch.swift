/// A run of recorded events in canonical form, handed out by one read: the unit of every read and
/// subscription, so that a replay pays one async step per batch rather than per event.
public struct EventBatch: Sendable {
    /// Where one record body lies in ``storage``.
    public struct Span: Sendable, Hashable {
        public var start: UInt32
        public var length: UInt32
        @inlinable public init(start: UInt32, length: UInt32) { self.start = start; self.length = length }
    }

    /// The bytes holding the record bodies (possibly with framing between them).
    public let storage: [UInt8]
    /// Each record's body within ``storage``, in position order.
    public let spans: [Span]
    /// Where a reader continues after this batch: one past the last position this read looked at (which may be
    /// beyond the last record in the batch when a filter skipped records).
    public let nextPosition: LogPosition

    /// Creates a batch.
    public init(storage: [UInt8], spans: [Span], nextPosition: LogPosition) {
        self.storage = storage
        self.spans = spans
        self.nextPosition = nextPosition
    }

    /// An empty batch that continues at `nextPosition`.
    public static func empty(continuingAt nextPosition: LogPosition) -> EventBatch {
        EventBatch(storage: [], spans: [], nextPosition: nextPosition)
    }

    /// Number of records.
    @inlinable public var count: Int { spans.count }
    /// Whether there are no records.
    @inlinable public var isEmpty: Bool { spans.isEmpty }

    /// Calls `body` with zero-copy views of the records, valid only during the call.
    @inlinable
    public func withRecords<R>(_ body: (RecordViews) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { raw in
            try body(RecordViews(base: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, spans: spans))
        }
    }

    /// Owned copies of the records.
    public var events: [RecordedEvent] {
        withRecords { views in views.map { $0.materialize() } }
    }
}

/// The records of a batch as views: a random-access collection valid only inside ``EventBatch/withRecords(_:)``.
public struct RecordViews: RandomAccessCollection {
    @usableFromInline let base: UnsafeRawPointer
    @usableFromInline let spans: [EventBatch.Span]

    @inlinable init(base: UnsafeRawPointer, spans: [EventBatch.Span]) { self.base = base; self.spans = spans }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { spans.count }
    @inlinable public subscript(i: Int) -> RecordView {
        let s = spans[i]
        return RecordView(body: UnsafeRawBufferPointer(start: base + Int(s.start), count: Int(s.length)))
    }
}

/// Builds a batch by encoding or copying record bodies into one buffer.
public struct EventBatchBuilder {
    public private(set) var storage: [UInt8] = []
    public private(set) var spans: [EventBatch.Span] = []

    /// Creates an empty builder.
    public init(capacity: Int = 0) { storage.reserveCapacity(capacity) }

    /// Number of records so far.
    public var count: Int { spans.count }
    /// Bytes so far.
    public var byteCount: Int { storage.count }

    /// Copies a body.
    public mutating func append(body: UnsafeRawBufferPointer) {
        let start = storage.count
        storage.append(contentsOf: body)
        spans.append(.init(start: UInt32(start), length: UInt32(body.count)))
    }

    /// Encodes a recorded event into canonical form.
    public mutating func append(_ event: RecordedEvent) {
        let start = storage.count
        let proposed = ProposedEvent(
            id: event.id, type: event.type, schemaVersion: event.schemaVersion, effectiveTime: event.effectiveTime,
            payload: event.payload, metadata: event.metadata)
        _ = RecordFormat.encode(
            proposed, stream: event.stream, position: event.position, streamVersion: event.streamVersion,
            recordedTime: event.recordedTime, previousHash: .genesis, into: &storage)
        // Keep the hash the store recorded rather than one computed against a placeholder.
        storage.withUnsafeMutableBytes { event.hash.store(to: $0.baseAddress! + start + RecordFormat.hashOffset) }
        spans.append(.init(start: UInt32(start), length: UInt32(storage.count - start)))
    }

    /// Lets a caller write a body directly: `write` appends exactly one body to the storage.
    public mutating func appendBody(_ write: (inout [UInt8]) -> Void) {
        let start = storage.count
        write(&storage)
        spans.append(.init(start: UInt32(start), length: UInt32(storage.count - start)))
    }

    /// The finished batch.
    public func build(nextPosition: LogPosition) -> EventBatch {
        EventBatch(storage: storage, spans: spans, nextPosition: nextPosition)
    }
}
