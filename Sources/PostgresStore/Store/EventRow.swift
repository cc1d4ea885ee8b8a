import EventLog
import Foundation

/// The columns of `events` (schema version 2): the queryable fields as plain columns beside `record`, the
/// canonical body (`RecordFormat`) exactly as the file store keeps it. Reads select `record` alone and hand its
/// bytes on unchanged; writes encode the body once (it is what the chain hash covers) and copy the rest beside it.
enum EventRow {
    /// The columns `COPY … FROM STDIN` writes, in the order ``encode(body:into:)`` writes them.
    static let copyColumns = "position, stream_id, stream_version, event_type, recorded_at, effective_at, event_id, record"

    /// Writes one row of ``copyColumns`` from a canonical body: every column is a field of the body.
    static func encode(body: UnsafeRawBufferPointer, into copy: inout PGCopyEncoder) {
        let view = RecordView(body: body)
        copy.beginRow(fields: 8)
        copy.int64(Int64(bitPattern: view.position))
        copy.raw(view.streamBytes)
        copy.int64(Int64(bitPattern: view.streamVersion))
        copy.raw(view.typeBytes)
        copy.timestamp(microsecondsSinceUnixEpoch: view.recordedTime.microsecondsSinceEpoch)
        copy.timestamp(microsecondsSinceUnixEpoch: view.effectiveTime.microsecondsSinceEpoch)
        copy.raw(UnsafeRawBufferPointer(rebasing: body[RecordFormat.eventIDOffset..<RecordFormat.eventIDOffset + 16]))
        copy.raw(body)
    }

    /// Checks a stored `record` before it is handed out as a body: its declared lengths must add up to its size,
    /// and it must be the record the row's key says (`position`, when known).
    /// - Throws: `EventLogError/Code/corruptRecord` naming the position.
    static func check(_ record: UnsafeRawBufferPointer, position expected: LogPosition?) throws(EventLogError) {
        guard RecordFormat.isWellFormed(body: record) else {
            throw EventLogError(.corruptRecord, "a row's record is not a well-formed canonical body", position: expected)
        }
        if let expected, RecordView(body: record).position != expected {
            throw EventLogError(
                .corruptRecord, "expected the record of position \(expected), found position \(RecordView(body: record).position): rows are missing or altered",
                position: expected)
        }
    }

    /// Reads every row of a binary result whose column `column` is `record`, as owned events.
    static func recordedEvents(_ result: PGResult, column: Int = 0) throws(EventLogError) -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        events.reserveCapacity(result.rowCount)
        for row in 0..<result.rowCount {
            let record = result.bytes(row, column)
            try check(record, position: nil)
            events.append(RecordView(body: record).materialize())
        }
        return events
    }
}
