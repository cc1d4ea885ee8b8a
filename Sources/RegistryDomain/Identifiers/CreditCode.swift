import EventLog

/// A unified social credit code (统一社会信用代码, GB 32100-2015): the employer's key in the registry.
///
/// 18 characters from `0-9 A-H J-N P-R T-U W-Y` (31 characters; no I, O, Z, S, V): a registration-authority
/// character, an organisation-category character, a 6-digit division code, a 9-character organisation code and
/// a check character. The check character is `31 - (Σ vᵢ·wᵢ mod 31)` (31 becomes 0) with the weights
/// `1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28`, where vᵢ is a character's index in the character set.
///
/// The value is held as two 64-bit integers (5 bits per character), so copies and binary decoding never allocate.
public struct CreditCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Characters 1 to 9, 5 bits each, the first in the highest bits.
    @usableFromInline let high: UInt64
    /// Characters 10 to 18, 5 bits each.
    @usableFromInline let low: UInt64

    /// The 31 characters of the code's character set, in value order.
    public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    /// The weights of the check-character computation.
    public static let weights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    static let valueOfASCII: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (i, c) in alphabet.enumerated() { table[Int(c.asciiValue!)] = Int8(i) }
        return table
    }()

    /// Reads and checks a code.
    /// - Parameter text: 18 characters; lower-case letters are accepted and upper-cased.
    /// - Throws: ``IdentifierError`` with ``IdentifierError/Code/wrongLength``,
    ///   ``IdentifierError/Code/invalidCharacter`` or ``IdentifierError/Code/invalidCheckCharacter``.
    public init(_ text: String) throws(IdentifierError) {
        let u = Array(text.utf8)
        guard u.count == 18 else {
            throw IdentifierError(.wrongLength, .creditCode, "must have 18 characters, got \(u.count)")
        }
        var values = [Int](repeating: 0, count: 18)
        for (i, raw) in u.enumerated() {
            let b = (0x61...0x7A).contains(raw) ? raw - 0x20 : raw
            guard b < 128, Self.valueOfASCII[Int(b)] >= 0 else {
                throw IdentifierError(.invalidCharacter, .creditCode, "character \(i + 1) is outside 0-9 A-H J-N P-R T-U W-Y")
            }
            values[i] = Int(Self.valueOfASCII[Int(b)])
        }
        guard values[17] == Self.checkValue(values[0..<17]) else {
            throw IdentifierError(.invalidCheckCharacter, .creditCode, "the check character (character 18) does not match")
        }
        var high: UInt64 = 0, low: UInt64 = 0
        for i in 0..<9 { high = high << 5 | UInt64(values[i]) }
        for i in 9..<18 { low = low << 5 | UInt64(values[i]) }
        self.high = high
        self.low = low
    }

    /// Reads a code, or nil when it is not valid.
    public init?(validating text: String) {
        guard let code = try? CreditCode(text) else { return nil }
        self = code
    }

    /// Rebuilds a code from its packed form, as stored in the binary payload form (written from a checked code).
    /// - Returns: nil when a packed character is out of range.
    @inlinable
    init?(high: UInt64, low: UInt64) {
        // A 5-bit field is 31 (out of range) exactly when all its bits are set; test all nine fields at once.
        let lowBits: UInt64 = 0x0000_1084_2108_4210 >> 4  // bit 0 of each of the nine fields
        @inline(__always) func hasField31(_ x: UInt64) -> Bool { x & (x >> 1) & (x >> 2) & (x >> 3) & (x >> 4) & lowBits != 0 }
        guard high >> 45 == 0, low >> 45 == 0, !hasField31(high), !hasField31(low) else { return nil }
        self.high = high
        self.low = low
    }

    /// The check value (index in ``alphabet``) for the values of the first 17 characters.
    static func checkValue(_ values: ArraySlice<Int>) -> Int {
        var sum = 0
        for (v, w) in zip(values, weights) { sum += v * w }
        let c = 31 - sum % 31
        return c == 31 ? 0 : c
    }

    /// The check character computed for 17 leading characters, or nil when one is outside the character set.
    public static func checkCharacter(forLeading text: String) -> Character? {
        let u = Array(text.utf8)
        guard u.count == 17 else { return nil }
        var values: [Int] = []
        for b in u {
            guard b < 128, valueOfASCII[Int(b)] >= 0 else { return nil }
            values.append(Int(valueOfASCII[Int(b)]))
        }
        return alphabet[checkValue(values[...])]
    }

    /// The 18-character code.
    public var value: String {
        var chars: [Character] = []
        chars.reserveCapacity(18)
        for i in stride(from: 8, through: 0, by: -1) { chars.append(Self.alphabet[Int((high >> (5 * UInt64(i))) & 31)]) }
        for i in stride(from: 8, through: 0, by: -1) { chars.append(Self.alphabet[Int((low >> (5 * UInt64(i))) & 31)]) }
        return String(chars)
    }

    /// The 6-digit division code of the registering authority (characters 3 to 8), when it reads as one.
    public var division: DivisionCode? {
        let v = value
        return try? DivisionCode(String(v.dropFirst(2).prefix(6)))
    }

    /// The code itself: a credit code identifies an organisation, not a person, and is public.
    public var description: String { value }

    /// The employer's stream: `employer-<credit code>`.
    public var streamID: StreamID { StreamID.employer(self) }

    /// Orders by the characters in the code's own character order.
    public static func < (lhs: CreditCode, rhs: CreditCode) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }
}

extension CreditCode: TextIdentifier {
    /// Checks an 18-character code.
    public init(parsing text: String) throws(IdentifierError) { try self.init(text) }
}
