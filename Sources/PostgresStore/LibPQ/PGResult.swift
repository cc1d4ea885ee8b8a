import CLibPQ
import Foundation

/// The rows of one statement, owned: the libpq result is freed when this is released.
///
/// Values of a binary-format result are PostgreSQL's binary wire forms (big-endian integers, raw bytes).
/// - Important: The buffers handed out by ``bytes(_:_:)`` live only as long as the result.
package final class PGResult {
    let handle: OpaquePointer

    init(handle: OpaquePointer) { self.handle = handle }

    deinit { PQclear(handle) }

    /// Number of rows.
    package var rowCount: Int { Int(PQntuples(handle)) }

    /// Number of columns.
    package var columnCount: Int { Int(PQnfields(handle)) }

    /// The rows affected by a command (`INSERT`, `UPDATE`, `COPY`), 0 when it does not say.
    package var affectedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    /// Whether a value is SQL NULL.
    package func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(handle, Int32(row), Int32(column)) != 0 }

    /// The bytes of a value (empty for NULL).
    package func bytes(_ row: Int, _ column: Int) -> UnsafeRawBufferPointer {
        let r = Int32(row), c = Int32(column)
        return UnsafeRawBufferPointer(start: PQgetvalue(handle, r, c), count: Int(PQgetlength(handle, r, c)))
    }

    /// The length of a value in bytes (0 for NULL).
    package func length(_ row: Int, _ column: Int) -> Int { Int(PQgetlength(handle, Int32(row), Int32(column))) }

    /// A binary `bigint`.
    package func int64(_ row: Int, _ column: Int) -> Int64 { PGBinary.load(Int64.self, from: bytes(row, column)) }

    /// A binary `smallint`.
    package func int16(_ row: Int, _ column: Int) -> Int16 { PGBinary.load(Int16.self, from: bytes(row, column)) }

    /// A `text` value (binary or text format: both are the UTF-8 bytes).
    package func string(_ row: Int, _ column: Int) -> String { String(decoding: bytes(row, column), as: UTF8.self) }

    /// A binary `uuid`, nil for NULL.
    package func uuid(_ row: Int, _ column: Int) -> UUID? {
        if isNull(row, column) { return nil }
        let b = bytes(row, column)
        guard b.count == 16 else { return nil }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: b) }
        return UUID(uuid: raw)
    }
}
