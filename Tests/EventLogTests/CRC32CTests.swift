import EventLog
import Testing

@Suite("CRC-32C")
struct CRC32CTests {
    @Test("Known vectors (RFC 3720 B.4 and the standard check value)")
    func knownVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum([]) == 0)
    }

    @Test("Extending in pieces equals one pass, at every split")
    func extending() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = CRC32C.checksum(bytes)
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let a = bytes[..<split].withUnsafeBytes { CRC32C.checksum($0) }
            let ab = bytes[split...].withUnsafeBytes { CRC32C.checksum($0, extending: a) }
            #expect(ab == whole, "split at \(split)")
        }
    }
}
