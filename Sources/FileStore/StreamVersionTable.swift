import EventLog

/// Each stream's current version, as the writer checks expected versions against it.
///
/// Keyed by a 128-bit digest of the stream id (two independent 64-bit hashes) rather than the id itself, so that
/// rebuilding the table when a store is opened allocates no string per record. Two different ids would have to
/// agree on all 128 bits to be confused (for two million streams, odds of about 2⁻⁸⁷: rarer than a UUID clash).
struct StreamVersionTable {
    struct Key: Hashable {
        var a: UInt64
        var b: UInt64
    }

    private var versions: [Key: StreamVersion] = [:]

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

    subscript(key: Key) -> StreamVersion? {
        get { versions[key] }
        set { versions[key] = newValue }
    }

    subscript(stream: StreamID) -> StreamVersion? {
        get { versions[Self.key(stream)] }
        set { versions[Self.key(stream)] = newValue }
    }

    var count: Int { versions.count }
}
