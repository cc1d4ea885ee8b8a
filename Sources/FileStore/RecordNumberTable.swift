/// An open-addressing hash table from 64-bit keys to 32-bit record numbers, found in one probe (usually one cache
/// line) without hashing a key through `Hasher`. The active segment keeps two: its event ids' fingerprints
/// (`EventIDIndex`: added once, never replaced) and each stream's newest record (`SegmentIndex`: replaced as the
/// stream grows). A `Dictionary` there showed as a tenth of a full active segment's scan on open.
///
/// Linear probing, power-of-two capacity, at most three quarters full; 12 bytes a slot. `UInt32.max` marks an empty
/// slot (record numbers of a segment stay far below it), so every key, 0 included, can be stored. The keys are
/// already mixed bits (fingerprints of random ids, FNV-1a of stream ids); a multiply spreads them once more over the
/// slots. Keys are never removed one by one (the owner empties the table for the next segment).
struct RecordNumberTable {
    private var keys: [UInt64] = []
    private var values: [UInt32] = []
    private var shift: UInt64 = 64
    private(set) var count = 0

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The slot holding `key`, or the empty slot where it would go.
    @inline(__always)
    private func probe(_ key: UInt64) -> Int {
        let mask = keys.count - 1
        var i = slot(key)
        while values[i] != .max && keys[i] != key { i = (i + 1) & mask }
        return i
    }

    /// Adds `key → value` unless the key is present.
    /// - Returns: nil when added; the value already held for the key otherwise (nothing changed).
    @inline(__always)
    mutating func insertIfAbsent(_ key: UInt64, _ value: UInt32) -> UInt32? {
        precondition(value != .max, "UInt32.max marks an empty slot")
        if (count + 1) * 4 > keys.count * 3 { grow() }
        let i = probe(key)
        if values[i] != .max { return values[i] }
        keys[i] = key
        values[i] = value
        count += 1
        return nil
    }

    /// Sets the value of `key`.
    /// - Returns: the value it replaced, if any.
    @inline(__always)
    @discardableResult
    mutating func updateValue(_ value: UInt32, forKey key: UInt64) -> UInt32? {
        precondition(value != .max, "UInt32.max marks an empty slot")
        if (count + 1) * 4 > keys.count * 3 { grow() }
        let i = probe(key)
        let held = values[i]
        keys[i] = key
        values[i] = value
        if held == .max {
            count += 1
            return nil
        }
        return held
    }

    /// The value held for `key`, if any.
    @inline(__always)
    subscript(key: UInt64) -> UInt32? {
        guard count > 0 else { return nil }
        let held = values[probe(key)]
        return held == .max ? nil : held
    }

    /// Calls `body` with every key and its value.
    func forEach(_ body: (UInt64, UInt32) -> Void) {
        for i in values.indices where values[i] != .max { body(keys[i], values[i]) }
    }

    /// Empties the table, keeping its memory for the next segment.
    mutating func removeAll() {
        for i in values.indices { values[i] = .max }
        count = 0
    }

    private mutating func grow() {
        let old = (keys, values)
        let capacity = Swift.max(1024, keys.count * 2)
        keys = [UInt64](repeating: 0, count: capacity)
        values = [UInt32](repeating: .max, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        count = 0
        for (k, v) in zip(old.0, old.1) where v != .max { _ = insertIfAbsent(k, v) }
    }
}
