/// Person key → index in ``RegistryKnowledge/persons``: open addressing with linear probing, keys and values in
/// two flat arrays, at most half full.
///
/// *Why not `Dictionary`:* the fold looks a person up for every record of the log; measured on 200,000 persons,
/// `Dictionary`'s hashing and probing were the largest single cost of a re-run. A key is never 0 (the 17 leading
/// digits of an ID number start with a province code), so 0 marks an empty slot.
struct KnowledgeIndex: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var shift: UInt64
    private(set) var count = 0

    /// An index with room for `capacity` keys before it grows.
    init(capacity: Int = 1024) {
        var bits: UInt64 = 10
        while (1 << bits) < capacity * 2 { bits += 1 }
        keys = [UInt64](repeating: 0, count: 1 << bits)
        values = [Int32](repeating: 0, count: 1 << bits)
        shift = 64 - bits
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The value of a key, if present.
    func find(_ key: UInt64) -> Int32? {
        let mask = keys.count - 1
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { return values[i] }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// The value of a key, inserting `next` when absent.
    mutating func findOrInsert(_ key: UInt64, next: Int32) -> (value: Int32, inserted: Bool) {
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
        values = [Int32](repeating: 0, count: oldKeys.count * 2)
        shift -= 1
        count = 0
        for (k, v) in zip(oldKeys, oldValues) where k != 0 { _ = findOrInsert(k, next: v) }
    }
}
