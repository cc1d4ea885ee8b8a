import Foundation
import EventLog

/// An event as stored, in its own schema version: what export writes, so that an old record is exported and
/// imported back byte for byte rather than upcast.
///
/// Replays use ``RegistryEvent/decode(_:)-(RecordView)``, which upcasts; only tools that must preserve the
/// stored form need this type.
public enum StoredRegistryEvent: Hashable, Sendable, CustomStringConvertible {
    /// An event at its type's current schema version.
    case current(RegistryEvent)
    /// ``PersonEnrolled`` at schema version 1.
    case personEnrolledV1(PersonEnrolledV1)

    /// The event type.
    public var type: RegistryEventType {
        switch self {
        case .current(let e): e.type
        case .personEnrolledV1: .personEnrolled
        }
    }

    /// The schema version of the stored form.
    public var schemaVersion: UInt16 {
        switch self {
        case .current(let e): e.type.currentVersion
        case .personEnrolledV1: PersonEnrolledV1.schemaVersion
        }
    }

    /// The event at the current schema version.
    @inlinable
    public var upcast: RegistryEvent {
        switch self {
        case .current(let e): e
        case .personEnrolledV1(let p): .personEnrolled(p.upcast())
        }
    }

    /// The payload's binary form at the stored schema version.
    public func binaryPayload() -> [UInt8] {
        switch self {
        case .current(let e): e.binaryPayload()
        case .personEnrolledV1(let p): p.binaryPayload()
        }
    }

    /// Decodes a payload of any readable schema version, without upcasting.
    /// - Throws: ``EventFormatError`` with ``EventFormatError/Code/unsupportedVersion`` or
    ///   ``EventFormatError/Code/malformedPayload``.
    @inlinable
    public static func decode(
        _ type: RegistryEventType, version: UInt16, payload: UnsafeRawBufferPointer
    ) throws(EventFormatError) -> StoredRegistryEvent {
        if version == type.currentVersion { return .current(try RegistryEvent.decodeCurrent(type, payload: payload)) }
        if type == .personEnrolled, version == 1 { return .personEnrolledV1(try PersonEnrolledV1.decode(binary: payload)) }
        throw EventFormatError(.unsupportedVersion, "\(type.rawValue) has no schema version \(version)")
    }

    /// Decodes a record without upcasting.
    /// - Throws: ``EventFormatError`` naming the stream (masked) when the type, version or payload is not readable.
    public static func decode(_ record: RecordView) throws(EventFormatError) -> StoredRegistryEvent {
        guard let type = RegistryEventType(record) else {
            throw EventFormatError(.unknownType, "the event type (\(record.type.utf8.count) bytes) is not a registry event", stream: record.stream)
        }
        do {
            return try decode(type, version: record.schemaVersion, payload: record.payload)
        } catch {
            var e = error
            e.stream = record.stream
            throw e
        }
    }

    /// Decodes an owned recorded event without upcasting.
    public static func decode(_ event: RecordedEvent) throws(EventFormatError) -> StoredRegistryEvent {
        guard let type = RegistryEventType(rawValue: event.type) else {
            throw EventFormatError(.unknownType, "the event type (\(event.type.utf8.count) bytes) is not a registry event", stream: event.stream)
        }
        let result: Result<StoredRegistryEvent, EventFormatError> = event.payload.withUnsafeBytes { raw in
            do throws(EventFormatError) {
                return .success(try decode(type, version: event.schemaVersion, payload: raw))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let e): return e
        case .failure(var e):
            e.stream = event.stream
            throw e
        }
    }

    /// A proposed event carrying this stored form (type, schema version and payload as stored).
    public func proposed(id: UUID, effective: Timestamp, metadata: EventMetadata) -> ProposedEvent {
        ProposedEvent(
            id: id, type: type.rawValue, schemaVersion: schemaVersion, effectiveTime: effective,
            payload: binaryPayload(), metadata: metadata)
    }

    /// The masked description of the event.
    public var description: String {
        switch self {
        case .current(let e): e.description
        case .personEnrolledV1(let p): "\(p)"
        }
    }
}
