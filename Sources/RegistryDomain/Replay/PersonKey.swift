import EventLog

/// The key of a person in the views: the 17 leading digits of the citizen ID number in the stream id
/// `person-<ID>`, as one integer (the check character follows from them).
public enum PersonKey {
    /// Reads the key from a stream id's bytes without allocating; nil for any other stream.
    @inlinable
    public static func key(streamBytes s: UnsafeRawBufferPointer) -> UInt64? {
        guard s.count == 25, s[0] == UInt8(ascii: "p"), s[6] == UInt8(ascii: "-"), s[1] == UInt8(ascii: "e") else { return nil }
        var value: UInt64 = 0
        for i in 7..<24 {
            let d = s[i] &- 48
            guard d < 10 else { return nil }
            value = value &* 10 &+ UInt64(d)
        }
        return value
    }

    /// The key of a person stream id.
    public static func key(_ stream: StreamID) -> UInt64? {
        var raw = stream.rawValue
        return raw.withUTF8 { key(streamBytes: UnsafeRawBufferPointer($0)) }
    }

    /// The birth date digits `yyyymmdd` held in a key.
    @inlinable
    public static func birthDate(_ key: UInt64) -> Int { Int(key / 1_000 % 100_000_000) }

    /// Age in whole years on a day given as `yyyymmdd`.
    @inlinable
    public static func age(_ key: UInt64, on yyyymmdd: Int) -> Int {
        let birth = birthDate(key)
        return (yyyymmdd - birth) / 10_000
    }
}

extension PersonKey {
    /// The 18-character citizen ID number of a key (the check character computed).
    public static func citizenID(_ key: UInt64) -> String {
        var digits = String(key)
        if digits.count < 17 { digits = String(repeating: "0", count: 17 - digits.count) + digits }
        return digits + String(CitizenID.checkCharacter(forLeading: digits) ?? "?")
    }

    /// The masked citizen ID number of a key: `1201**********0024`.
    public static func maskedCitizenID(_ key: UInt64) -> String { Masking.mask(citizenID(key)) }
}
