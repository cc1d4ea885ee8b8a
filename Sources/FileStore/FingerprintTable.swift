/// An open-addressing hash table from 64-bit fingerprints to 32-bit record numbers: the active segment's event
/// ids, found in one probe (usually one cache line) without hashing a key through `Hasher`.
///
/// Linear probing, power-of-two capacity, at most three quarters full; 12 bytes a slot. The fingerprints are
/// already mixed bits of random ids; a multiply spreads them once more over the slots. Keys are never removed one
/// by one (the owner rebuilds the table in the rare case it must forget entries).
struct FingerprintTable {
    private var keys: [UInt64] = []
    private var values: [UInt32] = []
    private var shift: UInt64 = 64
    private(set) var count = 0

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// 0 marks an empty slot, so a fingerprint of 0 is stored as 1 (the owner compares whole ids anyway).
    @inline(__always)
    private static func stored(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    /// Adds `key → value` unless the key is present.
    /// - Returns: nil when added; the value already held for the key otherwise (nothing changed).
    @inline(__always)
    mutating func insertIfAbsent(_ key: UInt64, _ value: UInt32) -> UInt32? {
        if (count + 1) * 4 > keys.count * 3 { grow() }
        let k = Self.stored(key)
        let mask = keys.count - 1
        var i = slot(k)
        while true {
            let present = keys[i]
            if present == 0 {
                keys[i] = k
                values[i] = value
                count += 1
                return nil
            }
            if present == k { return values[i] }
            i = (i + 1) & mask
        }
    }

    /// The value held for `key`, if any.
    @inline(__always)
    func find(_ key: UInt64) -> UInt32? {
        guard count > 0 else { return nil }
        let k = Self.stored(key)
        let mask = keys.count - 1
        var i = slot(k)
        while true {
            let present = keys[i]
            if present == k { return values[i] }
            if present == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// Empties the table, keeping its memory for the next segment.
    mutating func removeAll() {
        for i in keys.indices { keys[i] = 0 }
        count = 0
    }

    private mutating func grow() {
        let old = (keys, values)
        let capacity = Swift.max(1024, keys.count * 2)
        keys = [UInt64](repeating: 0, count: capacity)
        values = [UInt32](repeating: 0, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        count = 0
        for (k, v) in zip(old.0, old.1) where k != 0 { _ = insertIfAbsent(k, v) }
    }
}
