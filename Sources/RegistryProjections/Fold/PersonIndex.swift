/// Person key → dense person number: an open-addressing hash table with linear probing, for the replay's one
/// lookup per event. Key and number sit side by side in one 16-byte slot, so a lookup is one cache miss (key 0
/// marks an empty slot; no citizen ID has the key 0).
struct PersonIndex: Sendable, Equatable {
    struct Slot: Sendable {
        var key: UInt64
        var value: Int32
    }

    private var slots: [Slot]
    private var shift: UInt64
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: 0, value: -1), count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The number of a key, if present.
    @inline(__always)
    subscript(key: UInt64) -> Int32? {
        slots.withUnsafeBufferPointer { s in
            let mask = s.count - 1
            var i = slot(key)
            while true {
                let k = s[i].key
                if k == key { return s[i].value }
                if k == 0 { return nil }
                i = (i + 1) & mask
            }
        }
    }

    /// The number of a key, inserting `next` for a new key.
    @inline(__always)
    mutating func findOrInsert(_ key: UInt64, next: Int32) -> (value: Int32, inserted: Bool) {
        precondition(key != 0, "the key 0 marks an empty slot")
        if let v = self[key] { return (v, false) }
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var i = slot(key)
        while slots[i].key != 0 { i = (i + 1) & mask }
        slots[i] = Slot(key: key, value: next)
        count += 1
        return (next, true)
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(key: 0, value: -1), count: old.count * 2)
        shift -= 1
        count = 0
        for s in old where s.key != 0 { _ = findOrInsert(s.key, next: s.value) }
    }

    static func == (a: PersonIndex, b: PersonIndex) -> Bool {
        guard a.count == b.count else { return false }
        for s in a.slots where s.key != 0 && b[s.key] != s.value { return false }
        return true
    }
}
