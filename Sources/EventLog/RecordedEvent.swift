import Foundation

/// An event as the log recorded it: an owned value, convenient outside hot loops.
///
/// Replays that must not allocate per event read ``RecordView``s from ``EventBatch/withRecords(_:)`` instead.
public struct RecordedEvent: Hashable, Sendable {
    /// Global position, strictly increasing in commit order, without gaps.
    public var position: LogPosition
    /// The stream the event belongs to.
    public var stream: StreamID
    /// Version within the stream, from 0.
    public var streamVersion: StreamVersion
    /// Unique id of the event.
    public var id: UUID
    /// The event type.
    public var type: String
    /// The payload schema version.
    public var schemaVersion: UInt16
    /// When the store recorded it.
    public var recordedTime: Timestamp
    /// When it happened in the world.
    public var effectiveTime: Timestamp
    /// The payload bytes.
    public var payload: [UInt8]
    /// Who and what caused it.
    public var metadata: EventMetadata
    /// The chain hash.
    public var hash: RecordHash

    /// Creates a recorded event.
    public init(
        position: LogPosition, stream: StreamID, streamVersion: StreamVersion, id: UUID, type: String,
        schemaVersion: UInt16, recordedTime: Timestamp, effectiveTime: Timestamp, payload: [UInt8],
        metadata: EventMetadata, hash: RecordHash
    ) {
        self.position = position
        self.stream = stream
        self.streamVersion = streamVersion
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.recordedTime = recordedTime
        self.effectiveTime = effectiveTime
        self.payload = payload
        self.metadata = metadata
        self.hash = hash
    }

    /// Whether a proposed event carries the same content (everything the writer sets).
    public func hasSameContent(as proposed: ProposedEvent) -> Bool {
        id == proposed.id && type == proposed.type && schemaVersion == proposed.schemaVersion
            && effectiveTime == proposed.effectiveTime && payload == proposed.payload && metadata == proposed.metadata
    }

    /// The canonical body (``RecordFormat``), as it is hashed.
    public func canonicalBody(previousHash: RecordHash) -> (body: [UInt8], hash: RecordHash) {
        var buffer: [UInt8] = []
        let proposed = ProposedEvent(
            id: id, type: type, schemaVersion: schemaVersion, effectiveTime: effectiveTime, payload: payload, metadata: metadata)
        let h = RecordFormat.encode(
            proposed, stream: stream, position: position, streamVersion: streamVersion, recordedTime: recordedTime,
            previousHash: previousHash, into: &buffer)
        return (buffer, h)
    }
}
