import Foundation
import EventLog

/// A value with a binary payload form: how ``BinaryPayloadWriter`` writes it and ``BinaryPayloadReader`` reads it.
///
/// ## Topics
/// ### Requirements
/// - ``write(to:)``
/// - ``read(from:)``
public protocol BinaryField {
    /// Writes the value.
    func write(to writer: inout BinaryPayloadWriter)
    /// Reads a value.
    /// - Throws: ``EventFormatError/Code/malformedPayload`` when the bytes are truncated or impossible.
    static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> Self
}

/// A payload with a binary form: one event type at one schema version.
///
/// ## Topics
/// ### Requirements
/// - ``encode(to:)``
/// - ``init(from:)``
/// ### Convenience
/// - ``binaryPayload()``
/// - ``decode(binary:)``
public protocol BinaryPayload: Sendable {
    /// Writes the payload's fields.
    func encode(to writer: inout BinaryPayloadWriter)
    /// Reads the payload's fields.
    init(from reader: inout BinaryPayloadReader) throws(EventFormatError)
}

extension BinaryPayload {
    /// The payload's binary form.
    @inlinable
    public func binaryPayload() -> [UInt8] {
        var w = BinaryPayloadWriter()
        encode(to: &w)
        return w.bytes
    }

    /// Decodes a payload from its binary form, requiring every byte to be used.
    @inlinable
    public static func decode(binary bytes: UnsafeRawBufferPointer) throws(EventFormatError) -> Self {
        var r = BinaryPayloadReader(bytes)
        let value = try Self(from: &r)
        try r.finish()
        return value
    }
}

/// An enum whose binary form is its index in `allCases` (so new cases go at the end).
///
/// ## Topics
/// ### Requirements
/// - ``codedCases``
public protocol CodedEnum: CaseIterable, Equatable, BinaryField {
    /// The cases in binary-code order, cached.
    static var codedCases: [Self] { get }
}

extension CodedEnum {
    /// Writes the case's index in `allCases`.
    @inlinable
    public func write(to writer: inout BinaryPayloadWriter) {
        writer.bytes.append(UInt8(Self.codedCases.firstIndex(of: self)!))
    }

    /// Reads a case by its index.
    @inlinable
    public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> Self {
        let i = Int(try reader.readInteger(UInt8.self))
        let all = codedCases
        guard i < all.count else { throw BinaryPayloadReader.malformed("unknown enum case", at: reader.offset - 1) }
        return all[i]
    }
}

extension Bool: BinaryField {
    /// 1 byte: 0 or 1.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) { writer.bytes.append(self ? 1 : 0) }
    /// 1 byte: 0 or 1.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> Bool {
        switch try reader.readInteger(UInt8.self) {
        case 0: return false
        case 1: return true
        default: throw BinaryPayloadReader.malformed("invalid bool", at: reader.offset - 1)
        }
    }
}

extension UInt8: BinaryField {
    /// 1 byte.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) { writer.bytes.append(self) }
    /// 1 byte.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> UInt8 { try reader.readInteger() }
}

extension UInt16: BinaryField {
    /// 2 bytes.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) { writer.writeInteger(self) }
    /// 2 bytes.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> UInt16 { try reader.readInteger() }
}

extension UInt32: BinaryField {
    /// 4 bytes.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) { writer.writeInteger(self) }
    /// 4 bytes.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> UInt32 { try reader.readInteger() }
}

extension Int64: BinaryField {
    /// 8 bytes.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) { writer.writeInteger(self) }
    /// 8 bytes.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> Int64 { try reader.readInteger() }
}

extension String: BinaryField {
    /// LEB128 byte count, then UTF-8.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) {
        var copy = self
        copy.withUTF8 { utf8 in
            writer.writeVarint(UInt64(utf8.count))
            writer.bytes.append(contentsOf: utf8)
        }
    }
    /// LEB128 byte count, then UTF-8.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> String {
        let n = try reader.readVarint()
        guard n <= UInt64(Int32.max) else { throw BinaryPayloadReader.malformed("string too long", at: reader.offset) }
        let bytes = try reader.readBytes(Int(n))
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension UUID: BinaryField {
    /// 16 bytes.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) {
        withUnsafeBytes(of: uuid) { writer.bytes.append(contentsOf: $0) }
    }
    /// 16 bytes.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> UUID {
        let raw = try reader.readBytes(16)
        var u: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &u) { $0.copyMemory(from: raw) }
        return UUID(uuid: u)
    }
}

extension Optional: BinaryField where Wrapped: BinaryField {
    /// 1 byte (0 absent, 1 present), then the value.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) {
        if let value = self {
            writer.bytes.append(1)
            value.write(to: &writer)
        } else {
            writer.bytes.append(0)
        }
    }
    /// 1 byte (0 absent, 1 present), then the value.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> Wrapped? {
        switch try reader.readInteger(UInt8.self) {
        case 0: return nil
        case 1: return try Wrapped.read(from: &reader)
        default: throw BinaryPayloadReader.malformed("invalid optional flag", at: reader.offset - 1)
        }
    }
}

extension Array: BinaryField where Element: BinaryField {
    /// LEB128 count, then the elements.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) {
        writer.writeVarint(UInt64(count))
        for e in self { e.write(to: &writer) }
    }
    /// LEB128 count, then the elements.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> [Element] {
        let n = try reader.readVarint()
        // Every element takes at least one byte: a larger count is damage, not a reason to allocate.
        guard n <= UInt64(reader.count - reader.offset) else { throw BinaryPayloadReader.malformed("array count too large", at: reader.offset) }
        var result: [Element] = []
        result.reserveCapacity(Int(n))
        for _ in 0..<n { result.append(try Element.read(from: &reader)) }
        return result
    }
}

extension CitizenID: BinaryField {
    /// 8 bytes: the 17 leading digits as a number.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) { writer.writeInteger(body) }
    /// 8 bytes: the 17 leading digits as a number.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> CitizenID {
        guard let id = CitizenID(body: try reader.readInteger(UInt64.self)) else {
            throw BinaryPayloadReader.malformed("invalid citizen ID", at: reader.offset - 8)
        }
        return id
    }
}

extension CreditCode: BinaryField {
    /// 16 bytes: characters 1-9 and 10-18 packed 5 bits each.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) {
        writer.writeInteger(high)
        writer.writeInteger(low)
    }
    /// 16 bytes: characters 1-9 and 10-18 packed 5 bits each.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> CreditCode {
        let high = try reader.readInteger(UInt64.self), low = try reader.readInteger(UInt64.self)
        guard let code = CreditCode(high: high, low: low) else {
            throw BinaryPayloadReader.malformed("invalid credit code", at: reader.offset - 16)
        }
        return code
    }
}

extension DivisionCode: BinaryField {
    /// 8 bytes: the code padded to 12 digits.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) { writer.writeInteger(padded) }
    /// 8 bytes: the code padded to 12 digits.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> DivisionCode {
        guard let code = DivisionCode(padded: try reader.readInteger(UInt64.self)) else {
            throw BinaryPayloadReader.malformed("invalid division code", at: reader.offset - 8)
        }
        return code
    }
}

extension CalendarDate: BinaryField {
    /// 4 bytes: days since 1970-01-01.
    public func write(to writer: inout BinaryPayloadWriter) { writer.writeInteger(Int32(daysSinceEpoch)) }
    /// 4 bytes: days since 1970-01-01.
    public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> CalendarDate {
        CalendarDate(daysSinceEpoch: Int64(try reader.readInteger(Int32.self)))
    }
}

extension ISOTimestamp: BinaryField {
    /// 8 bytes: µs since the epoch.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) { writer.writeInteger(timestamp.microsecondsSinceEpoch) }
    /// 8 bytes: µs since the epoch.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> ISOTimestamp {
        ISOTimestamp(Timestamp(microsecondsSinceEpoch: try reader.readInteger(Int64.self)))
    }
}

extension Personal: BinaryField {
    /// The value as a string.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) { storage.write(to: &writer) }
    /// The value as a string.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> Personal {
        Personal(try String.read(from: &reader))
    }
}

extension InsuranceType: BinaryField {
    /// 1 byte: the stable raw value.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) { writer.bytes.append(rawValue) }
    /// 1 byte: the stable raw value.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> InsuranceType {
        guard let t = InsuranceType(rawValue: try reader.readInteger(UInt8.self)) else {
            throw BinaryPayloadReader.malformed("unknown insurance type", at: reader.offset - 1)
        }
        return t
    }
}

extension Sex: BinaryField {
    /// 1 byte: the raw value.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) { writer.bytes.append(rawValue) }
    /// 1 byte: the raw value.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> Sex {
        guard let s = Sex(rawValue: try reader.readInteger(UInt8.self)) else {
            throw BinaryPayloadReader.malformed("unknown sex", at: reader.offset - 1)
        }
        return s
    }
}

extension FieldCorrection: BinaryField {
    /// The field, then the value.
    @inlinable public func write(to writer: inout BinaryPayloadWriter) {
        field.write(to: &writer)
        value.write(to: &writer)
    }
    /// The field, then the value.
    @inlinable public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> FieldCorrection {
        FieldCorrection(field: try reader.read(), value: try reader.read())
    }
}
