import EventLog

/// Each stream's current version, as the writer checks expected versions against it.
///
/// Keyed by a 128-bit digest of the stream id (two independent 64-bit hashes) rather than the id itself, so that
/// rebuilding the table when a store is opened allocates no string per record. Two different ids would have to
/// agree on all 128 bits to be confused (for two million streams, odds of about 2⁻⁸⁷: rarer than a UUID clash).
///
/// An open-addressing table (linear probing, power-of-two capacity, at most half full, 24 bytes a slot) whose slot
/// is taken from the digest itself: no `Hasher` (whose seed changes with each process), so the slot order is the
/// same in every process. The writer's snapshot lists the entries in slot order, and loading them back into a table
/// of the same capacity walks memory forward instead of missing the cache once per stream.
struct StreamVersionTable {
    struct Key: Hashable {
        var a: UInt64
        var b: UInt64
    }

    /// 0 = empty slot; a stored key never has `a == 0 && b == 0` (such a digest is stored as `b == 1`).
    private var keysA: [UInt64] = []
    private var keysB: [UInt64] = []
    private var versions: [StreamVersion] = []
    private var shift: UInt64 = 64
    private(set) var count = 0

    /// Slots in the table (a power of two, or 0 when nothing was ever inserted).
    var capacity: Int { keysA.count }

    init() {}

    /// An empty table of `capacity` slots (a power of two, at least 1024): a snapshot's entries, listed in slot
    /// order, go back into the slots they came from.
    init(capacity: Int) {
        precondition(capacity >= 1024 && capacity.nonzeroBitCount == 1)
        allocate(capacity)
    }

    /// The digest of a stream id's UTF-8 bytes.
    @inline(__always)
    static func key(_ bytes: UnsafeRawBufferPointer) -> Key {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        var b: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)  // a multiply-rotate mix, another seed
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = ((b ^ UInt64(byte)) &* 0xBF58_476D_1CE4_E5B9)
            b = (b << 29) | (b >> 35)
        }
        b = (b ^ (b >> 31)) &* 0x94D0_49BB_1331_11EB
        return Key(a: a, b: b ^ (b >> 29))
    }

    static func key(_ stream: StreamID) -> Key {
        var raw = stream.rawValue
        return raw.withUTF8 { key(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    private static func stored(_ key: Key) -> Key { key.a == 0 && key.b == 0 ? Key(a: 0, b: 1) : key }

    @inline(__always)
    private func slot(_ key: Key) -> Int { Int(truncatingIfNeeded: (key.b &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    private mutating func allocate(_ capacity: Int) {
        keysA = [UInt64](repeating: 0, count: capacity)
        keysB = [UInt64](repeating: 0, count: capacity)
        versions = [StreamVersion](repeating: 0, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        count = 0
    }

    /// The slot holding `key`, or the empty slot where it would go.
    @inline(__always)
    private func find(_ k: Key) -> (slot: Int, present: Bool) {
        let mask = keysA.count - 1
        var i = slot(k)
        while true {
            let a = keysA[i], b = keysB[i]
            if a == k.a && b == k.b { return (i, true) }
            if a == 0 && b == 0 { return (i, false) }
            i = (i + 1) & mask
        }
    }

    subscript(key: Key) -> StreamVersion? {
        get {
            guard count > 0 else { return nil }
            let (i, present) = find(Self.stored(key))
            return present ? versions[i] : nil
        }
        set {
            let k = Self.stored(key)
            guard let newValue else {
                remove(k)
                return
            }
            if (count + 1) * 2 > keysA.count { grow() }
            let (i, present) = find(k)
            if !present {
                keysA[i] = k.a
                keysB[i] = k.b
                count += 1
            }
            versions[i] = newValue
        }
    }

    subscript(stream: StreamID) -> StreamVersion? {
        get { self[Self.key(stream)] }
        set { self[Self.key(stream)] = newValue }
    }

    /// Removes a key, shifting back the entries after it in its run so that no look-up stops early.
    private mutating func remove(_ k: Key) {
        guard count > 0 else { return }
        var (i, present) = find(k)
        guard present else { return }
        let mask = keysA.count - 1
        var j = i
        while true {
            j = (j + 1) & mask
            if keysA[j] == 0 && keysB[j] == 0 { break }
            let home = slot(Key(a: keysA[j], b: keysB[j]))
            // Move entry j into the hole at i unless its home lies cyclically in (i, j].
            let inRange = i <= j ? (i < home && home <= j) : (i < home || home <= j)
            if !inRange {
                keysA[i] = keysA[j]
                keysB[i] = keysB[j]
                versions[i] = versions[j]
                i = j
            }
        }
        keysA[i] = 0
        keysB[i] = 0
        versions[i] = 0
        count -= 1
    }

    private mutating func grow() {
        let old = (keysA, keysB, versions)
        allocate(Swift.max(1024, keysA.count * 2))
        for s in old.0.indices where old.0[s] != 0 || old.1[s] != 0 {
            self[Key(a: old.0[s], b: old.1[s])] = old.2[s]
        }
    }

    /// Calls `body` with every entry, in slot order.
    func forEach(_ body: (Key, StreamVersion) -> Void) {
        for s in keysA.indices where keysA[s] != 0 || keysB[s] != 0 {
            body(Key(a: keysA[s], b: keysB[s]), versions[s])
        }
    }
}
