import Foundation

/// The canonical binary form of a recorded event: what the file store writes, what ``EventBatch`` holds, and
/// what the hash chain covers, whatever the store.
///
/// All integers little-endian. A record **body** is:
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 8 | global position |
/// | 8 | 8 | stream version |
/// | 16 | 8 | recorded time, µs since epoch |
/// | 24 | 8 | effective time, µs since epoch |
/// | 32 | 16 | event id (UUID bytes) |
/// | 48 | 32 | chain hash (SHA-256 of the previous hash and this body without this field) |
/// | 80 | 2 | schema version |
/// | 82 | 2 | stream id length *s* |
/// | 84 | 2 | event type length *t* |
/// | 86 | 2 | reserved, 0 |
/// | 88 | 4 | metadata length *m* |
/// | 92 | 4 | payload length *p* |
/// | 96 | *s* | stream id, UTF-8 |
/// | 96+*s* | *t* | event type, UTF-8 |
/// | … | *m* | metadata (below) |
/// | … | *p* | payload |
///
/// Metadata: 1 byte of flags (bit 0 correlation id present, bit 1 causation id present), the present ids
/// (16 bytes each), the actor (1-byte length, UTF-8), a 2-byte header count, then each header as a 2-byte
/// length and UTF-8 key and a 2-byte length and UTF-8 value, sorted by key.
public enum RecordFormat {
    public static let positionOffset = 0
    public static let streamVersionOffset = 8
    public static let recordedTimeOffset = 16
    public static let effectiveTimeOffset = 24
    public static let eventIDOffset = 32
    public static let hashOffset = 48
    public static let schemaVersionOffset = 80
    public static let streamLengthOffset = 82
    public static let typeLengthOffset = 84
    public static let metadataLengthOffset = 88
    public static let payloadLengthOffset = 92
    /// Size of the fixed part of a body.
    public static let fixedSize = 96

    /// The effective times every store keeps and the JSON form writes: 0001-01-01T00:00:00Z up to
    /// 9999-12-31T23:59:59.999999Z, in microseconds since 1970.
    public static let effectiveTimeRange: ClosedRange<Int64> = -62_135_596_800_000_000 ... 253_402_300_799_999_999

    /// Checks an append request before anything is written: the one validation every store calls, so that every
    /// store accepts exactly the same requests (and an export of one restores into any other).
    ///
    /// Refused, as ``EventLogError/Code/invalidEvent``:
    /// - no events, or an event id twice in the request;
    /// - a stream id that is not 1 to 512 bytes without control characters (also one made with
    ///   ``StreamID/init(uncheckedRawValue:)``), reported as ``EventLogError/Code/invalidStreamID``;
    /// - an event type that is not 1 to 255 bytes without control characters; a schema version 0;
    /// - a payload over 16 MiB; an actor over 255 bytes; over 1024 headers, an empty header key, a header key
    ///   or value over 65,535 bytes;
    /// - U+0000 (NUL) anywhere in the actor, a header key or a header value (and, through the rules above, in
    ///   the stream id and the event type): PostgreSQL text cannot hold it, so no store accepts it;
    /// - an effective time outside ``effectiveTimeRange`` (years 1 to 9999, what the JSON form writes).
    /// - Throws: ``EventLogError`` naming the first problem and the event's index; never the offending text.
    public static func validate(_ append: StreamAppend) throws(EventLogError) {
        guard !append.events.isEmpty else {
            throw EventLogError(.invalidEvent, "an append needs at least one event", stream: append.stream)
        }
        guard isWellFormedStreamID(append.stream) else {
            throw EventLogError(
                .invalidStreamID, "a stream id must be 1 to \(StreamID.maximumLength) bytes without control characters",
                stream: append.stream)
        }
        if append.events.count > 1 {
            var seen = Set<UUID>()
            for (i, event) in append.events.enumerated() where !seen.insert(event.id).inserted {
                throw EventLogError(.invalidEvent, "event \(i) (\(event.type.prefix(64))): its id appears twice in one append", stream: append.stream)
            }
        }
        for (i, event) in append.events.enumerated() {
            func fail(_ why: String) -> EventLogError {
                EventLogError(.invalidEvent, "event \(i) (\(event.type.prefix(64))): \(why)", stream: append.stream)
            }
            let t = event.type.utf8
            guard !t.isEmpty, t.count <= ProposedEvent.maximumTypeLength else {
                throw fail("the event type must be 1 to \(ProposedEvent.maximumTypeLength) bytes")
            }
            guard !hasControlByte(event.type) else { throw fail("the event type has control characters") }
            guard event.schemaVersion >= 1 else { throw fail("schema versions start at 1") }
            guard event.payload.count <= ProposedEvent.maximumPayloadSize else {
                throw fail("the payload is \(event.payload.count) bytes, more than \(ProposedEvent.maximumPayloadSize)")
            }
            guard effectiveTimeRange.contains(event.effectiveTime.microsecondsSinceEpoch) else {
                throw fail("the effective time must lie in the years 1 to 9999 (UTC)")
            }
            let actor = event.metadata.actor.utf8
            guard actor.count <= EventMetadata.maximumActorLength else {
                throw fail("the actor is longer than \(EventMetadata.maximumActorLength) bytes")
            }
            guard !hasNUL(event.metadata.actor) else { throw fail("the actor contains U+0000 (NUL), which no store keeps") }
            guard event.metadata.headers.count <= EventMetadata.maximumHeaderCount else {
                throw fail("more than \(EventMetadata.maximumHeaderCount) metadata headers")
            }
            for (k, v) in event.metadata.headers {
                guard !k.isEmpty, k.utf8.count <= EventMetadata.maximumHeaderLength, v.utf8.count <= EventMetadata.maximumHeaderLength else {
                    throw fail("a metadata header key must be 1 to 65,535 bytes and a value at most 65,535")
                }
                guard !hasNUL(k), !hasNUL(v) else {
                    throw fail("a metadata header key or value contains U+0000 (NUL), which no store keeps")
                }
            }
        }
    }

    /// Whether a stream id has the form ``StreamID/init(_:)`` checks (1 to 512 bytes of UTF-8 without control
    /// characters): also for ids made with ``StreamID/init(uncheckedRawValue:)``.
    public static func isWellFormedStreamID(_ stream: StreamID) -> Bool {
        let bytes = stream.rawValue.utf8
        return !bytes.isEmpty && bytes.count <= StreamID.maximumLength && !hasControlByte(stream.rawValue)
    }

    /// Whether a text holds a control byte (below 0x20, or 0x7F): one pass over its UTF-8 in place.
    @inline(__always) static func hasControlByte(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { b in b.contains { $0 < 0x20 || $0 == 0x7F } }
    }

    /// Whether a text holds U+0000: one pass over its UTF-8 in place.
    @inline(__always) static func hasNUL(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { b in b.contains(0) }
    }

    /// Appends the body of one record to `buffer` and returns its chain hash.
    @discardableResult
    public static func encode(
        _ event: ProposedEvent, stream: StreamID, position: LogPosition, streamVersion: StreamVersion,
        recordedTime: Timestamp, previousHash: RecordHash, into buffer: inout [UInt8]
    ) -> RecordHash {
        let start = buffer.count
        let streamBytes = stream.rawValue.utf8
        let typeBytes = event.type.utf8
        let needed = start + fixedSize + streamBytes.count + typeBytes.count + 64 + event.payload.count
        if buffer.capacity < needed { buffer.reserveCapacity(Swift.max(needed, buffer.capacity * 2)) }
        buffer.appendLE(position)
        buffer.appendLE(streamVersion)
        buffer.appendLE(UInt64(bitPattern: recordedTime.microsecondsSinceEpoch))
        buffer.appendLE(UInt64(bitPattern: event.effectiveTime.microsecondsSinceEpoch))
        buffer.appendUUID(event.id)
        buffer.append(contentsOf: repeatElement(0, count: 32))
        buffer.appendLE(event.schemaVersion)
        buffer.appendLE(UInt16(streamBytes.count))
        buffer.appendLE(UInt16(typeBytes.count))
        buffer.appendLE(UInt16(0))
        let metadataLengthAt = buffer.count
        buffer.appendLE(UInt32(0))
        buffer.appendLE(UInt32(event.payload.count))
        buffer.append(contentsOf: streamBytes)
        buffer.append(contentsOf: typeBytes)
        let metadataStart = buffer.count
        encodeMetadata(event.metadata, into: &buffer)
        let metadataLength = UInt32(buffer.count - metadataStart)
        buffer.withUnsafeMutableBytes { $0.storeBytes(of: metadataLength.littleEndian, toByteOffset: metadataLengthAt, as: UInt32.self) }
        buffer.append(contentsOf: event.payload)
        return buffer.withUnsafeMutableBytes { raw in
            let body = UnsafeMutableRawBufferPointer(rebasing: raw[start...])
            let hash = RecordHash.chaining(previousHash, body: UnsafeRawBufferPointer(body))
            hash.store(to: body.baseAddress! + hashOffset)
            return hash
        }
    }

    /// Appends the binary form of metadata.
    public static func encodeMetadata(_ metadata: EventMetadata, into buffer: inout [UInt8]) {
        var flags: UInt8 = 0
        if metadata.correlationID != nil { flags |= 1 }
        if metadata.causationID != nil { flags |= 2 }
        buffer.append(flags)
        if let id = metadata.correlationID { buffer.appendUUID(id) }
        if let id = metadata.causationID { buffer.appendUUID(id) }
        let actor = metadata.actor.utf8
        buffer.append(UInt8(actor.count))
        buffer.append(contentsOf: actor)
        buffer.appendLE(UInt16(metadata.headers.count))
        for key in metadata.headers.keys.sorted() {
            let k = key.utf8, v = metadata.headers[key]!.utf8
            buffer.appendLE(UInt16(k.count)); buffer.append(contentsOf: k)
            buffer.appendLE(UInt16(v.count)); buffer.append(contentsOf: v)
        }
    }

    /// Decodes metadata written by ``encodeMetadata(_:into:)``.
    /// - Returns: nil when the bytes are not well-formed metadata.
    public static func decodeMetadata(_ bytes: UnsafeRawBufferPointer) -> EventMetadata? {
        var r = ByteReader(bytes)
        guard let flags = r.u8() else { return nil }
        var m = EventMetadata()
        if flags & 1 != 0 { guard let id = r.uuid() else { return nil }; m.correlationID = id }
        if flags & 2 != 0 { guard let id = r.uuid() else { return nil }; m.causationID = id }
        guard let actorLength = r.u8(), let actor = r.string(Int(actorLength)) else { return nil }
        m.actor = actor
        guard let count = r.u16() else { return nil }
        for _ in 0..<count {
            guard let kl = r.u16(), let k = r.string(Int(kl)), let vl = r.u16(), let v = r.string(Int(vl)) else { return nil }
            m.headers[k] = v
        }
        return r.isAtEnd ? m : nil
    }

    /// Checks that a body's declared lengths add up to its size.
    @inlinable
    public static func isWellFormed(body: UnsafeRawBufferPointer) -> Bool {
        guard body.count >= fixedSize else { return false }
        let s = Int(UInt16(littleEndian: body.loadUnaligned(fromByteOffset: streamLengthOffset, as: UInt16.self)))
        let t = Int(UInt16(littleEndian: body.loadUnaligned(fromByteOffset: typeLengthOffset, as: UInt16.self)))
        let m = Int(UInt32(littleEndian: body.loadUnaligned(fromByteOffset: metadataLengthOffset, as: UInt32.self)))
        let p = Int(UInt32(littleEndian: body.loadUnaligned(fromByteOffset: payloadLengthOffset, as: UInt32.self)))
        return fixedSize + s + t + m + p == body.count && s > 0 && t > 0
    }
}

extension Array where Element == UInt8 {
    /// Appends an integer in little-endian byte order.
    @inlinable
    public mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    /// Appends the 16 bytes of a UUID.
    @inlinable
    public mutating func appendUUID(_ id: UUID) {
        Swift.withUnsafeBytes(of: id.uuid) { append(contentsOf: $0) }
    }
}

/// Reads little-endian values from bytes, failing softly at the end.
public struct ByteReader {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline var offset = 0

    /// Reads from the start of `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Whether every byte was read.
    public var isAtEnd: Bool { offset == bytes.count }

    @inlinable
    mutating func integer<T: FixedWidthInteger>(_: T.Type) -> T? {
        guard offset + MemoryLayout<T>.size <= bytes.count else { return nil }
        defer { offset += MemoryLayout<T>.size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// Reads one byte.
    public mutating func u8() -> UInt8? { integer(UInt8.self) }
    /// Reads two bytes.
    public mutating func u16() -> UInt16? { integer(UInt16.self) }
    /// Reads four bytes.
    public mutating func u32() -> UInt32? { integer(UInt32.self) }
    /// Reads eight bytes.
    public mutating func u64() -> UInt64? { integer(UInt64.self) }

    /// Reads a UUID.
    public mutating func uuid() -> UUID? {
        guard offset + 16 <= bytes.count else { return nil }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 16])) }
        offset += 16
        return UUID(uuid: raw)
    }

    /// Reads `count` bytes of UTF-8.
    public mutating func string(_ count: Int) -> String? {
        guard count >= 0, offset + count <= bytes.count else { return nil }
        defer { offset += count }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]), as: UTF8.self)
    }

    /// Reads `count` raw bytes.
    public mutating func bytes(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, offset + count <= bytes.count else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }
}
