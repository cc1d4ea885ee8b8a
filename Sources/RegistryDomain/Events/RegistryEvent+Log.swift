import Foundation
import EventLog

extension RegistryEvent {
    /// Decodes a record read in place, upcasting older schema versions: the replay hot path.
    ///
    /// Dispatches on the type bytes and reads the payload with ``BinaryPayloadReader`` straight from the batch's
    /// memory: no Foundation, no Codable, no copy of the payload.
    /// - Throws: ``EventFormatError`` (unknown type, unsupported version, malformed payload), naming the stream
    ///   masked.
    @inlinable
    public static func decode(_ view: RecordView) throws(EventFormatError) -> RegistryEvent {
        if let type = RegistryEventType(view) {
            let version = view.schemaVersion
            if version == type.currentVersion {
                do { return try decodeCurrent(type, payload: view.payload) } catch { return try StoredRegistryEvent.decode(view).upcast }
            }
        }
        // Unknown types, older versions and errors take the slow path, which upcasts or names the stream.
        return try StoredRegistryEvent.decode(view).upcast
    }

    /// Decodes an owned recorded event, upcasting older schema versions.
    /// - Throws: ``EventFormatError`` as ``decode(_:)-(RecordView)``.
    public static func decode(_ event: RecordedEvent) throws(EventFormatError) -> RegistryEvent {
        try StoredRegistryEvent.decode(event).upcast
    }

    /// The event as a proposed event for `EventStore/append(_:)`: type name, current schema version and
    /// binary payload.
    /// - Parameters:
    ///   - id: the event id; re-appending the same id is a no-op, so give a stable id when retrying.
    ///   - effective: when it happened in the world.
    ///   - metadata: who recorded it and from what source.
    public func proposed(id: UUID = UUID(), effective: Timestamp, metadata: EventMetadata) -> ProposedEvent {
        ProposedEvent(
            id: id, type: type.rawValue, schemaVersion: type.currentVersion, effectiveTime: effective,
            payload: binaryPayload(), metadata: metadata)
    }

    /// The stream category the event belongs in.
    public var category: RegistryStream.Category { type.category }
}
