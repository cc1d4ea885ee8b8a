/// Big-endian reads and writes of PostgreSQL's binary wire values.
package enum PGBinary {
    /// Reads a big-endian integer at `offset`.
    @inlinable
    package static func load<T: FixedWidthInteger>(_: T.Type, from bytes: UnsafeRawBufferPointer, at offset: Int = 0) -> T {
        T(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// Reads a big-endian integer at `pointer`.
    @inlinable
    package static func load<T: FixedWidthInteger>(_: T.Type, from pointer: UnsafeRawPointer) -> T {
        T(bigEndian: pointer.loadUnaligned(as: T.self))
    }
}

extension Array where Element == UInt8 {
    /// Appends an integer in big-endian order.
    @inlinable
    mutating func appendBE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    /// Appends an integer in little-endian order.
    @inlinable
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    /// Overwrites a big-endian `Int32` at `offset`.
    @inlinable
    mutating func storeBE(_ value: Int32, at offset: Int) {
        withUnsafeMutableBytes { $0.storeBytes(of: value.bigEndian, toByteOffset: offset, as: Int32.self) }
    }

    /// Overwrites a little-endian `UInt32` at `offset`.
    @inlinable
    mutating func storeLittleEndian(_ value: UInt32, at offset: Int) {
        withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self) }
    }
}

extension Array where Element == UInt8 {
    /// Appends raw bytes with one copy.
    @inlinable
    mutating func appendBytes(_ raw: UnsafeRawBufferPointer) {
        guard let base = raw.baseAddress, raw.count > 0 else { return }
        append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: raw.count))
    }
}
