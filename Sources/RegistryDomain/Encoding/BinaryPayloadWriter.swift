import Foundation
import EventLog

/// Writes the compact binary payload form of an event, little-endian, without Codable or Foundation encoders.
///
/// Values are written by their ``BinaryField`` conformance:
///
/// | value | bytes |
/// | --- | --- |
/// | `Bool`, `UInt8`, enum case | 1 (enum: index in `allCases`) |
/// | `UInt16`, `UInt32`, `Int64` | 2, 4, 8 |
/// | `String` | LEB128 length, then UTF-8 |
/// | `UUID` | 16 |
/// | ``CitizenID`` | 8 (the 17 leading digits as a number) |
/// | ``CreditCode`` | 16 (two 45-bit packs of 5-bit characters) |
/// | ``DivisionCode`` | 8 (the code padded to 12 digits) |
/// | ``CalendarDate`` | 4 (days since 1970-01-01) |
/// | ``ISOTimestamp`` | 8 (µs since the epoch) |
/// | `Optional` | 1 (0 absent, 1 present), then the value |
/// | `Array` | LEB128 count, then the elements |
public struct BinaryPayloadWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]

    /// Creates a writer.
    @inlinable
    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Writes a fixed-width integer, little-endian.
    @inlinable
    public mutating func writeInteger<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes an unsigned LEB128 number (7 bits per byte).
    @inlinable
    public mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Writes a value by its binary form.
    @inlinable
    public mutating func write<T: BinaryField>(_ value: T) { value.write(to: &self) }
}
