import CCRC32C

/// CRC-32C (Castagnoli) by the processor's instruction where it has one.
public enum CRC32C {
    /// The checksum of a byte buffer, extending `crc` (0 to start).
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer, extending crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress else { return crc }
        return ccrc32c_extend(crc, base, bytes.count)
    }

    /// The checksum of an array of bytes.
    @inlinable
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// Whether the hardware instruction is in use (for benchmark reports).
    public static var isHardwareAccelerated: Bool { ccrc32c_is_hardware() != 0 }
}
