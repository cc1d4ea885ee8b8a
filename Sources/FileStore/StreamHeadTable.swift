/// An open-addressing hash table from 64-bit stream keys to 32-bit record numbers: the active segment's index keeps
/// each stream's newest record in it (one probe per record, no `Hasher`, which showed as a tenth of a full active
/// segment's scan on open when this was a `Dictionary`).
///
/// Linear probing, power-of-two capacity, at most three quarters full; `UInt32.max` marks an empty slot (record
/// numbers of a segment stay far below it). Keys are never removed.
struct StreamHeadTable {
    private var keys: [UInt64] = []
    private var values: [UInt32] = []
    private var shift: UInt64 = 64
    private(set) var count = 0

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// Sets the value of `key`.
    /// - Returns: the value it replaced, if any.
    @inline(__always)
    mutating func updateValue(_ value: UInt32, forKey key: UInt64) -> UInt32? {
        if (count + 1) * 4 > keys.count * 3 { grow() }
        let mask = keys.count - 1
        var i = slot(key)
        while true {
            let held = values[i]
            if held == .max {
                keys[i] = key
                values[i] = value
                count += 1
                return nil
            }
            if keys[i] == key {
                values[i] = value
                return held
            }
            i = (i + 1) & mask
        }
    }

    /// The value held for `key`, if any.
    subscript(key: UInt64) -> UInt32? {
        guard count > 0 else { return nil }
        let mask = keys.count - 1
        var i = slot(key)
        while true {
            let held = values[i]
            if held == .max { return nil }
            if keys[i] == key { return held }
            i = (i + 1) & mask
        }
    }

    /// Calls `body` with every key and its value.
    func forEach(_ body: (UInt64, UInt32) -> Void) {
        for i in values.indices where values[i] != .max { body(keys[i], values[i]) }
    }

    private mutating func grow() {
        let old = (keys, values)
        let capacity = Swift.max(1024, keys.count * 2)
        keys = [UInt64](repeating: 0, count: capacity)
        values = [UInt32](repeating: .max, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        count = 0
        for (k, v) in zip(old.0, old.1) where v != .max { _ = updateValue(v, forKey: k) }
    }
}
