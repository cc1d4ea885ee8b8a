import Foundation

/// A recorded event read in place from its canonical bytes (``RecordFormat``), without copying or allocating.
///
/// - Important: A view is valid only inside the closure that handed it out
///   (``EventBatch/withRecords(_:)``); use ``materialize()`` to keep an event.
public struct RecordView {
    /// The body's bytes.
    public let body: UnsafeRawBufferPointer

    /// Wraps a well-formed body.
    @inlinable
    public init(body: UnsafeRawBufferPointer) { self.body = body }

    @inlinable
    func field<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
        T(littleEndian: body.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// The global position.
    @inlinable public var position: LogPosition { field(RecordFormat.positionOffset, UInt64.self) }
    /// The version within the stream.
    @inlinable public var streamVersion: StreamVersion { field(RecordFormat.streamVersionOffset, UInt64.self) }
    /// When the store recorded it.
    @inlinable public var recordedTime: Timestamp {
        Timestamp(microsecondsSinceEpoch: Int64(bitPattern: field(RecordFormat.recordedTimeOffset, UInt64.self)))
    }
    /// When it happened in the world.
    @inlinable public var effectiveTime: Timestamp {
        Timestamp(microsecondsSinceEpoch: Int64(bitPattern: field(RecordFormat.effectiveTimeOffset, UInt64.self)))
    }
    /// The payload schema version.
    @inlinable public var schemaVersion: UInt16 { field(RecordFormat.schemaVersionOffset, UInt16.self) }
    @inlinable var streamLength: Int { Int(field(RecordFormat.streamLengthOffset, UInt16.self)) }
    @inlinable var typeLength: Int { Int(field(RecordFormat.typeLengthOffset, UInt16.self)) }
    @inlinable var metadataLength: Int { Int(field(RecordFormat.metadataLengthOffset, UInt32.self)) }

    /// The stream id's UTF-8 bytes.
    @inlinable public var streamBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: body[RecordFormat.fixedSize..<(RecordFormat.fixedSize + streamLength)])
    }
    /// The event type's UTF-8 bytes.
    @inlinable public var typeBytes: UnsafeRawBufferPointer {
        let start = RecordFormat.fixedSize + streamLength
        return UnsafeRawBufferPointer(rebasing: body[start..<(start + typeLength)])
    }
    /// The metadata's bytes.
    @inlinable public var metadataBytes: UnsafeRawBufferPointer {
        let start = RecordFormat.fixedSize + streamLength + typeLength
        return UnsafeRawBufferPointer(rebasing: body[start..<(start + metadataLength)])
    }
    /// The payload's bytes.
    @inlinable public var payload: UnsafeRawBufferPointer {
        let start = RecordFormat.fixedSize + streamLength + typeLength + metadataLength
        return UnsafeRawBufferPointer(rebasing: body[start...])
    }
    /// The chain hash.
    @inlinable public var hash: RecordHash { RecordHash(bytes: body.baseAddress! + RecordFormat.hashOffset) }

    /// The event id.
    public var id: UUID {
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) {
            $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: body[RecordFormat.eventIDOffset..<RecordFormat.eventIDOffset + 16]))
        }
        return UUID(uuid: raw)
    }
    /// The stream id (allocates).
    public var stream: StreamID { StreamID(uncheckedRawValue: String(decoding: streamBytes, as: UTF8.self)) }
    /// The event type (allocates).
    public var type: String { String(decoding: typeBytes, as: UTF8.self) }

    /// Whether the type equals `name`, without allocating.
    @inlinable
    public func typeIs(_ name: StaticString) -> Bool {
        let t = typeBytes
        guard t.count == name.utf8CodeUnitCount else { return false }
        return memcmp(t.baseAddress!, name.utf8Start, t.count) == 0
    }

    /// Whether the stream's category equals `category` (given as UTF-8 bytes), without allocating.
    @inlinable
    public func isInCategory(_ category: UnsafeRawBufferPointer) -> Bool {
        let s = streamBytes
        guard s.count >= category.count else { return false }
        guard s.count == category.count || s[category.count] == UInt8(ascii: "-") else { return false }
        return category.count == 0 || memcmp(s.baseAddress!, category.baseAddress!, category.count) == 0
    }

    /// An owned copy of the event.
    public func materialize() -> RecordedEvent {
        RecordedEvent(
            position: position, stream: stream, streamVersion: streamVersion, id: id, type: type,
            schemaVersion: schemaVersion, recordedTime: recordedTime, effectiveTime: effectiveTime,
            payload: [UInt8](payload), metadata: RecordFormat.decodeMetadata(metadataBytes) ?? EventMetadata(), hash: hash)
    }
}
