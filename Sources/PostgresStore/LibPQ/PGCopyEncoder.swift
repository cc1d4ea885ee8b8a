import Foundation

/// Writes the input of `COPY … FROM STDIN (FORMAT binary)`: a header, rows of length-prefixed binary values,
/// and a trailer.
package struct PGCopyEncoder {
    /// The bytes so far.
    package private(set) var bytes: [UInt8] = []

    /// Starts with the binary COPY header, unless `header` is false (rows continuing an input already begun).
    package init(capacity: Int = 0, header: Bool = true) {
        bytes.reserveCapacity(capacity + 21)
        guard header else { return }
        bytes.append(contentsOf: [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00])  // PGCOPY\n\377\r\n\0
        bytes.appendBE(Int32(0))  // flags
        bytes.appendBE(Int32(0))  // header extension length
    }

    /// Starts a row of `fields` values.
    package mutating func beginRow(fields: Int16) { bytes.appendBE(fields) }

    /// A `bigint` value.
    package mutating func int64(_ value: Int64) { bytes.appendBE(Int32(8)); bytes.appendBE(value) }

    /// A `smallint` value.
    package mutating func int16(_ value: Int16) { bytes.appendBE(Int32(2)); bytes.appendBE(value) }

    /// A `timestamptz` value from microseconds since the Unix epoch.
    package mutating func timestamp(microsecondsSinceUnixEpoch us: Int64) {
        int64(us &- PGType.postgresEpochOffsetMicroseconds)
    }

    /// A `uuid` value.
    package mutating func uuid(_ value: UUID) {
        bytes.appendBE(Int32(16))
        withUnsafeBytes(of: value.uuid) { bytes.append(contentsOf: $0) }
    }

    /// A `uuid` value or NULL.
    package mutating func uuid(_ value: UUID?) {
        if let value { uuid(value) } else { null() }
    }

    /// A `text` or `bytea` value: raw bytes.
    package mutating func raw(_ value: some Collection<UInt8>) {
        bytes.appendBE(Int32(value.count))
        bytes.append(contentsOf: value)
    }

    /// A `text` value.
    package mutating func text(_ value: String) {
        let start = bytes.count
        bytes.appendBE(Int32(0))
        bytes.append(contentsOf: value.utf8)
        bytes.storeBE(Int32(bytes.count - start - 4), at: start)
    }

    /// A value written by `write`, which appends the value's binary form (its length is filled in).
    package mutating func value(_ write: (inout [UInt8]) -> Void) {
        let start = bytes.count
        bytes.appendBE(Int32(0))
        write(&bytes)
        bytes.storeBE(Int32(bytes.count - start - 4), at: start)
    }

    /// SQL NULL.
    package mutating func null() { bytes.appendBE(Int32(-1)) }

    /// Hands out the bytes so far and starts empty: for sending the input in parts.
    package mutating func takeBytes() -> [UInt8] {
        var taken: [UInt8] = []
        taken.reserveCapacity(bytes.capacity)
        swap(&taken, &bytes)
        return taken
    }

    /// The input with its trailer, unless `trailer` is false (more rows will follow in another encoder).
    package mutating func finish(trailer: Bool = true) -> [UInt8] {
        if trailer { bytes.appendBE(Int16(-1)) }
        return bytes
    }

    /// The trailer that ends a binary COPY input.
    package static let trailer: [UInt8] = [0xFF, 0xFF]
}
