/// Person key → dense person number: an open-addressing hash table with linear probing, for the replay's one
/// lookup per event (about three times faster than `Dictionary` here; key 0 marks an empty slot, and no citizen
/// ID has the key 0).
struct PersonIndex: Sendable, Equatable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var shift: UInt64
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [Int32](repeating: -1, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The number of a key, if present.
    @inline(__always)
    subscript(key: UInt64) -> Int32? {
        let mask = keys.count - 1
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { return values[i] }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// The number of a key, inserting `next` for a new key.
    @inline(__always)
    mutating func findOrInsert(_ key: UInt64, next: Int32) -> (value: Int32, inserted: Bool) {
        precondition(key != 0, "the key 0 marks an empty slot")
        if (count + 1) * 2 > keys.count { grow() }
        let mask = keys.count - 1
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { return (values[i], false) }
            if k == 0 {
                keys[i] = key
                values[i] = next
                count += 1
                return (next, true)
            }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        values = [Int32](repeating: -1, count: oldKeys.count * 2)
        shift -= 1
        count = 0
        for (k, v) in zip(oldKeys, oldValues) where k != 0 { _ = findOrInsert(k, next: v) }
    }

    static func == (a: PersonIndex, b: PersonIndex) -> Bool {
        guard a.count == b.count else { return false }
        for (k, v) in zip(a.keys, a.values) where k != 0 && b[k] != v { return false }
        return true
    }
}
