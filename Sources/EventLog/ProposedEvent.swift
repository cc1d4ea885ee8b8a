import Foundation

/// An event offered to a store for appending.
public struct ProposedEvent: Hashable, Sendable {
    /// The longest event type name, in UTF-8 bytes.
    public static let maximumTypeLength = 255
    /// The largest payload, in bytes.
    public static let maximumPayloadSize = 16 << 20

    /// Unique id of the event across the whole log. Re-appending the same events with the same ids to the same
    /// stream is a no-op; an id already used in another stream is refused (``Idempotency``).
    public var id: UUID
    /// The event type, such as `PersonRegistered`.
    public var type: String
    /// The version of the type's payload schema, starting at 1.
    public var schemaVersion: UInt16
    /// When it happened in the world, set by the writer.
    public var effectiveTime: Timestamp
    /// The payload bytes, in whatever encoding the type uses.
    public var payload: [UInt8]
    /// Who and what caused it.
    public var metadata: EventMetadata

    /// Creates a proposed event.
    public init(
        id: UUID = UUID(), type: String, schemaVersion: UInt16 = 1, effectiveTime: Timestamp,
        payload: [UInt8], metadata: EventMetadata = .none
    ) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.effectiveTime = effectiveTime
        self.payload = payload
        self.metadata = metadata
    }
}

/// One atomic append to one stream: what ``EventStore/append(_:)`` takes many of at once.
public struct StreamAppend: Sendable {
    /// The stream to append to.
    public var stream: StreamID
    /// What the stream must be for the append to happen.
    public var expected: ExpectedVersion
    /// The events, in order; at least one.
    public var events: [ProposedEvent]

    /// Creates an append request.
    public init(stream: StreamID, expected: ExpectedVersion, events: [ProposedEvent]) {
        self.stream = stream
        self.expected = expected
        self.events = events
    }
}

/// What a successful append did.
public struct AppendResult: Hashable, Sendable {
    /// The stream's version after the append (the version of its last event).
    public var streamVersion: StreamVersion
    /// The global position of the first and last events of the append.
    public var positions: ClosedRange<LogPosition>
    /// True when every event was already in the stream (an idempotent re-append) and nothing was written.
    public var wasAlreadyAppended: Bool

    /// Creates a result.
    public init(streamVersion: StreamVersion, positions: ClosedRange<LogPosition>, wasAlreadyAppended: Bool) {
        self.streamVersion = streamVersion
        self.positions = positions
        self.wasAlreadyAppended = wasAlreadyAppended
    }
}
