import EventLog

/// Reads the compact binary payload form from raw bytes (such as `RecordView/payload`) without copying,
/// without Foundation, and allocating only for strings and arrays the payload holds.
public struct BinaryPayloadReader {
    /// The start of the bytes.
    @usableFromInline let base: UnsafeRawPointer?
    /// The number of bytes.
    @usableFromInline let count: Int
    /// The next byte to read.
    @usableFromInline var offset: Int

    /// Reads from the start of `bytes`; they must stay valid while the reader is used.
    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes.baseAddress
        count = bytes.count
        offset = 0
    }

    /// Whether every byte was read.
    @inlinable public var isAtEnd: Bool { offset == count }

    /// The error for a truncated or impossible payload.
    @inlinable
    static func malformed(_ what: StaticString, at offset: Int) -> EventFormatError {
        EventFormatError(.malformedPayload, "\(what) at payload offset \(offset)")
    }

    /// Reads a fixed-width little-endian integer.
    @inlinable
    public mutating func readInteger<T: FixedWidthInteger>(_: T.Type = T.self) throws(EventFormatError) -> T {
        let size = MemoryLayout<T>.size
        guard let base, offset + size <= count else { throw Self.malformed("truncated integer", at: offset) }
        let v = T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return v
    }

    /// Reads an unsigned LEB128 number.
    @inlinable
    public mutating func readVarint() throws(EventFormatError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard let base, offset < count, shift < 64 else { throw Self.malformed("truncated varint", at: offset) }
            let b = base.load(fromByteOffset: offset, as: UInt8.self)
            offset += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    /// Reads `n` raw bytes in place.
    @inlinable
    public mutating func readBytes(_ n: Int) throws(EventFormatError) -> UnsafeRawBufferPointer {
        guard n >= 0, n <= count - offset else { throw Self.malformed("truncated bytes", at: offset) }
        defer { offset += n }
        return UnsafeRawBufferPointer(start: base.map { $0 + offset }, count: n)
    }

    /// Reads a value by its binary form.
    @inlinable
    public mutating func read<T: BinaryField>(_: T.Type = T.self) throws(EventFormatError) -> T {
        try T.read(from: &self)
    }

    /// Checks that every byte was read.
    /// - Throws: ``EventFormatError/Code/malformedPayload`` when bytes remain.
    @inlinable
    public func finish() throws(EventFormatError) {
        guard isAtEnd else { throw Self.malformed("trailing bytes", at: offset) }
    }
}
