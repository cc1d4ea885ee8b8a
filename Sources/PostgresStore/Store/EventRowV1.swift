import EventLog
import Foundation

/// The columns of a schema version 1 `events` table (every field a plain column), and the conversion of one binary
/// row into a record's canonical body (`RecordFormat`), written straight from the row's bytes: what the migration to
/// version 2 reads (`PostgresSchema`, "version 2" in DESIGN.md).
enum EventRowV1 {
    /// The selected columns, in the order ``appendBody(of:row:into:)`` reads them.
    static let columns = """
        position, stream_version, recorded_at, effective_at, event_id, hash, schema_version, stream_id, event_type, \
        correlation_id, causation_id, actor, headers, payload
        """

    /// Appends the canonical body of row `row` of a binary result selected with ``columns``.
    /// - Throws: `EventLogError/Code/corruptRecord` when a value has an impossible size.
    static func appendBody(of result: PGResult, row: Int, into buffer: inout [UInt8]) throws(EventLogError) {
        try appendBody(of: ResultRow(result: result, row: row), into: &buffer)
    }

    /// Appends the canonical body of one row, given in ``columns`` order.
    /// - Throws: `EventLogError/Code/corruptRecord` when a value has an impossible size.
    static func appendBody<Row: EventRowFields>(of result: Row, into buffer: inout [UInt8]) throws(EventLogError) {
        let row = 0
        let position = result.bytes(row, 0)
        let version = result.bytes(row, 1)
        let recorded = result.bytes(row, 2)
        let effective = result.bytes(row, 3)
        let id = result.bytes(row, 4)
        let hash = result.bytes(row, 5)
        let schemaVersion = result.bytes(row, 6)
        let stream = result.bytes(row, 7)
        let type = result.bytes(row, 8)
        let actor = result.bytes(row, 11)
        let headers = result.bytes(row, 12)
        let payload = result.bytes(row, 13)
        guard position.count == 8, version.count == 8, recorded.count == 8, effective.count == 8, id.count == 16,
            hash.count == 32, schemaVersion.count == 2, stream.count <= 0xFFFF, type.count <= 0xFFFF, actor.count <= 255
        else {
            let p = position.count == 8 ? LogPosition(bitPattern: PGBinary.load(Int64.self, from: position)) : nil
            throw EventLogError(.corruptRecord, "a row of the events table has a value of impossible size", position: p)
        }
        let offset = PGType.postgresEpochOffsetMicroseconds
        buffer.appendLittleEndian(PGBinary.load(UInt64.self, from: position))
        buffer.appendLittleEndian(PGBinary.load(UInt64.self, from: version))
        buffer.appendLittleEndian(PGBinary.load(Int64.self, from: recorded) &+ offset)
        buffer.appendLittleEndian(PGBinary.load(Int64.self, from: effective) &+ offset)
        buffer.appendBytes(id)
        buffer.appendBytes(hash)
        buffer.appendLittleEndian(PGBinary.load(UInt16.self, from: schemaVersion))
        buffer.appendLittleEndian(UInt16(stream.count))
        buffer.appendLittleEndian(UInt16(type.count))
        buffer.appendLittleEndian(UInt16(0))
        let metadataLengthAt = buffer.count
        buffer.appendLittleEndian(UInt32(0))
        buffer.appendLittleEndian(UInt32(payload.count))
        buffer.appendBytes(stream)
        buffer.appendBytes(type)
        let metadataStart = buffer.count
        if HeadersJSON.isEmptyObject(headers) {
            let correlation = result.bytes(row, 9), causation = result.bytes(row, 10)
            let hasCorrelation = !result.isNull(row, 9), hasCausation = !result.isNull(row, 10)
            buffer.append((hasCorrelation ? 1 : 0) | (hasCausation ? 2 : 0))
            if hasCorrelation { buffer.appendBytes(correlation) }
            if hasCausation { buffer.appendBytes(causation) }
            buffer.append(UInt8(actor.count))
            buffer.appendBytes(actor)
            buffer.appendLittleEndian(UInt16(0))
        } else {
            guard let parsed = HeadersJSON.decode(headers) else {
                throw EventLogError(
                    .corruptRecord, "the headers of a row are not a JSON object of strings",
                    position: LogPosition(bitPattern: PGBinary.load(Int64.self, from: position)))
            }
            let metadata = EventMetadata(
                correlationID: Self.uuid(result.bytes(row, 9), isNull: result.isNull(row, 9)),
                causationID: Self.uuid(result.bytes(row, 10), isNull: result.isNull(row, 10)),
                actor: String(decoding: actor, as: UTF8.self), headers: parsed)
            RecordFormat.encodeMetadata(metadata, into: &buffer)
        }
        buffer.storeLittleEndian(UInt32(buffer.count - metadataStart), at: metadataLengthAt)
        buffer.appendBytes(payload)
    }

    static func uuid(_ bytes: UnsafeRawBufferPointer, isNull: Bool) -> UUID? {
        guard !isNull, bytes.count == 16 else { return nil }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: bytes) }
        return UUID(uuid: raw)
    }
}
