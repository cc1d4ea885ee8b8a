import Foundation

/// A Bloom filter of event ids: tells the writer when an append's ids are certainly new, so the idempotency
/// check reads the stream back only when an id may have been seen.
struct EventIDFilter {
    private var bits: [UInt64]
    private let mask: UInt64

    /// - Parameter log2Bits: size as a power of two (27 = 16 MiB, 1% false positives at 10M ids).
    init(log2Bits: Int = 27) {
        bits = [UInt64](repeating: 0, count: 1 << (log2Bits - 6))
        mask = (1 << UInt64(log2Bits)) - 1
    }

    /// A filter from its words, as ``words`` gave them (the writer's snapshot).
    init(log2Bits: Int, words: [UInt64]) {
        precondition(words.count == 1 << (log2Bits - 6))
        bits = words
        mask = (1 << UInt64(log2Bits)) - 1
    }

    /// The filter's bits.
    var words: [UInt64] { bits }

    /// The size as a power of two.
    var log2Bits: Int { (mask + 1).trailingZeroBitCount }

    private static func hashes(_ id: UUID) -> (UInt64, UInt64) {
        withUnsafeBytes(of: id.uuid) { raw in
            let a = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
            let b = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            // Mix, so that ids sharing halves (UUIDv5 namespaces) still spread.
            return ((a ^ (b &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9, (b ^ (a >> 31)) &* 0x94D0_49BB_1331_11EB | 1)
        }
    }

    // Blocked: the three bits of an id lie in one 64-bit word, so an insert or a test touches one cache line
    // (about 1% false positives at ten million ids in 16 MiB, each costing only a read-back of the stream).
    @inline(__always)
    private func place(_ id: UUID) -> (word: Int, bits: UInt64) {
        let (h1, h2) = Self.hashes(id)
        let word = Int((h1 & mask) >> 6)
        let bits: UInt64 = 1 << (h2 & 63) | 1 << ((h2 >> 6) & 63) | 1 << ((h2 >> 12) & 63)
        return (word, bits)
    }

    mutating func insert(_ id: UUID) {
        let (word, bits) = place(id)
        self.bits[word] |= bits
    }

    func mayContain(_ id: UUID) -> Bool {
        let (word, bits) = place(id)
        return self.bits[word] & bits == bits
    }
}
