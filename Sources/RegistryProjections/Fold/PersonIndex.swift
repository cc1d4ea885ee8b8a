/// Person key → dense person number: an open-addressing hash table with linear probing, for the replay's one
/// lookup per event. Key and number sit side by side in one 16-byte slot, so a lookup is one cache miss (key 0
/// marks an empty slot; no citizen ID has the key 0).
struct PersonIndex: Sendable, Equatable {
    struct Slot: Sendable, BitwiseCopyable {
        var key: UInt64
        var value: Int32
        /// Always 0: the slot's last four bytes are a field rather than padding, so a checkpoint, which writes the
        /// slots as they lie in memory, holds the same bytes for the same index (padding held whatever was there).
        var spare: UInt32 = 0
    }

    private var slots: CacheAlignedArray<Slot>
    private var shift: UInt64
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = CacheAlignedArray(repeating: Slot(key: 0, value: -1), count: size)
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

    /// Starts loading the key's home slot into the cache, without waiting for it.
    @inline(__always)
    func prefetch(_ key: UInt64) { slots.prefetch(slot(key)) }

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
        slots = CacheAlignedArray(repeating: Slot(key: 0, value: -1), count: old.count * 2)
        shift -= 1
        count = 0
        for s in old where s.key != 0 { _ = findOrInsert(s.key, next: s.value) }
    }

    /// The slots' bytes as they lie in memory (16 bytes each: key, number, padding), for a checkpoint.
    func withUnsafeSlotBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try slots.withUnsafeBytes(body)
    }

    /// The number of slots.
    var capacity: Int { slots.count }

    /// An index restored from the slot bytes of ``withUnsafeSlotBytes(_:)`` for `persons` records, or nil unless it
    /// is exactly an index of them: a power-of-two table at most half full, every non-empty slot naming a record in
    /// range whose key it holds, every record named once, and every key found from its home slot (no empty slot and
    /// no copy of it on the way). One pass over the slots, no hashing of a table into existence.
    init?(slotBytes bytes: UnsafeRawBufferPointer, persons: CacheAlignedArray<PersonRecord>) {
        let stride = MemoryLayout<Slot>.stride
        let n = bytes.count / stride
        guard n >= 16, n * stride == bytes.count, n & (n - 1) == 0, persons.count * 2 <= n else { return nil }
        var table = CacheAlignedArray(repeating: Slot(key: 0, value: -1), count: n)
        let keyOffset = MemoryLayout<Slot>.offset(of: \.key)!, valueOffset = MemoryLayout<Slot>.offset(of: \.value)!
        var named = [Bool](repeating: false, count: persons.count)
        var count = 0
        let shift = UInt64(64 - n.trailingZeroBitCount)
        let ok = table.withUnsafeMutableBufferPointer { t -> Bool in
            for i in 0..<n {
                let key = bytes.loadUnaligned(fromByteOffset: i * stride + keyOffset, as: UInt64.self)
                guard key != 0 else { continue }
                let value = bytes.loadUnaligned(fromByteOffset: i * stride + valueOffset, as: Int32.self)
                guard value >= 0, Int(value) < persons.count, !named[Int(value)], persons[Int(value)].key == key else { return false }
                named[Int(value)] = true
                t[i] = Slot(key: key, value: value)
                count += 1
            }
            guard count == persons.count else { return false }
            // Linear probing finds a key only if no empty slot lies between its home slot and where it sits.
            for i in 0..<n where t[i].key != 0 {
                var j = Int(truncatingIfNeeded: (t[i].key &* 0x9E37_79B9_7F4A_7C15) >> shift)
                while j != i {
                    guard t[j].key != 0, t[j].key != t[i].key else { return false }  // a gap, or a key twice
                    j = (j + 1) & (n - 1)
                }
            }
            return true
        }
        guard ok else { return nil }
        slots = table
        self.shift = shift
        self.count = count
    }

    static func == (a: PersonIndex, b: PersonIndex) -> Bool {
        guard a.count == b.count else { return false }
        for s in a.slots where s.key != 0 && b[s.key] != s.value { return false }
        return true
    }
}
