/// An administrative division code: GB/T 2260 (6 digits: province, city, county), extended with 3 digits for a
/// street or town (街道/乡镇) and 3 more for a community or village (社区/村).
///
/// Accepted forms: 6 digits (province `120000`, city `120100`, county `120101`), 9 digits (street `120101001`)
/// and 12 digits (community `120101001001`; a 12-digit code ending in zeros, as in statistical division codes,
/// reads as the street or county it names). The hierarchy is derivable: ``province``, ``city``, ``county``,
/// ``street``, ``parent`` and ``contains(_:)``. Worklists and statistics are grouped by these.
///
/// Held as one 64-bit integer (the code padded to 12 digits) and a ``Level``.
public struct DivisionCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The depth of a division.
    public enum Level: UInt8, Sendable, Hashable, Comparable, CaseIterable {
        /// Province (省级): `XX0000`.
        case province = 1
        /// City (地级): `XXYY00`.
        case city = 2
        /// County or district (县级): `XXYYZZ`.
        case county = 3
        /// Street or town (乡级): 9 digits.
        case street = 4
        /// Community or village (村级): 12 digits.
        case community = 5

        /// Shallower levels first.
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The code padded with zeros to 12 digits.
    public let padded: UInt64
    /// The division's depth.
    public let level: Level

    /// Reads a division code.
    /// - Parameter text: 6, 9 or 12 ASCII digits.
    /// - Throws: ``IdentifierError`` with ``IdentifierError/Code/wrongLength``,
    ///   ``IdentifierError/Code/invalidCharacter`` or ``IdentifierError/Code/invalidAreaCode`` (province `00`, a
    ///   9-digit code with street part `000`, or a community under street `000`).
    public init(_ text: String) throws(IdentifierError) {
        let u = Array(text.utf8)
        guard u.count == 6 || u.count == 9 || u.count == 12 else {
            throw IdentifierError(.wrongLength, .divisionCode, "must have 6, 9 or 12 digits, got \(u.count)")
        }
        guard let v = Digits.value(u) else {
            throw IdentifierError(.invalidCharacter, .divisionCode, "must be digits only")
        }
        var p = UInt64(v)
        for _ in u.count..<12 { p *= 10 }
        guard p / 10_000_000_000 != 0 else {
            throw IdentifierError(.invalidAreaCode, .divisionCode, "the province part must not be 00")
        }
        if u.count == 9, (p / 1000) % 1000 == 0 {
            throw IdentifierError(.invalidAreaCode, .divisionCode, "a 9-digit code needs a street part other than 000")
        }
        if p % 1000 != 0, (p / 1000) % 1000 == 0 {
            throw IdentifierError(.invalidAreaCode, .divisionCode, "a community code needs a street part other than 000")
        }
        guard let code = DivisionCode(padded: p) else {
            throw IdentifierError(.invalidAreaCode, .divisionCode, "not a division code")
        }
        self = code
    }

    /// Reads a division code, or nil when it is not valid.
    public init?(validating text: String) {
        guard let code = try? DivisionCode(text) else { return nil }
        self = code
    }

    /// A code from its 12-digit padded value; the level follows from the trailing zeros.
    /// - Returns: nil when the value has more than 12 digits or a zero province.
    @inlinable
    public init?(padded: UInt64) {
        guard padded < 1_000_000_000_000, padded >= 10_000_000_000 else { return nil }
        self.padded = padded
        if padded % 1000 != 0 { level = .community }
        else if padded % 1_000_000 != 0 { level = .street }
        else if padded % 100_000_000 != 0 { level = .county }
        else if padded % 10_000_000_000 != 0 { level = .city }
        else { level = .province }
    }

    /// The number of significant digits written in the canonical form: 6, 9 or 12.
    public var digitCount: Int {
        switch level {
        case .province, .city, .county: 6
        case .street: 9
        case .community: 12
        }
    }

    /// The canonical text: 6 digits for a province, city or county, 9 for a street, 12 for a community.
    public var value: String {
        let all = Digits.padded(padded, 12)
        return String(all.prefix(digitCount))
    }

    /// The code truncated to `level` (itself when it is not deeper than `level`).
    public func truncated(to level: Level) -> DivisionCode {
        guard level < self.level else { return self }
        let keep: UInt64
        switch level {
        case .province: keep = 10_000_000_000
        case .city: keep = 100_000_000
        case .county: keep = 1_000_000
        case .street: keep = 1000
        case .community: keep = 1
        }
        return DivisionCode(padded: padded / keep * keep)!
    }

    /// The province (`XX0000`).
    public var province: DivisionCode { truncated(to: .province) }
    /// The city (`XXYY00`), or nil for a province. For municipalities this is the `XX01` city-level code.
    public var city: DivisionCode? { level >= .city ? truncated(to: .city) : nil }
    /// The county, or nil above county level.
    public var county: DivisionCode? { level >= .county ? truncated(to: .county) : nil }
    /// The street or town, or nil above street level.
    public var street: DivisionCode? { level >= .street ? truncated(to: .street) : nil }
    /// The community or village, or nil above community level.
    public var community: DivisionCode? { level == .community ? self : nil }

    /// The next division up, or nil for a province.
    ///
    /// Levels a code skips are skipped here too: a street directly under a city without counties
    /// (`441900003`, Dongguan) has the city code as its parent.
    public var parent: DivisionCode? {
        var l = level
        while let up = Level(rawValue: l.rawValue - 1) {
            let p = truncated(to: up)
            if p.level == up { return p }
            l = up
        }
        return nil
    }

    /// The chain from the province down to this code.
    public var ancestry: [DivisionCode] {
        var chain = [self]
        while let p = chain.last!.parent { chain.append(p) }
        return chain.reversed()
    }

    /// Whether `other` is this division or lies inside it.
    public func contains(_ other: DivisionCode) -> Bool {
        other.level >= level && other.truncated(to: level) == self
    }

    /// The canonical text (division codes are public).
    public var description: String { value }

    /// Orders by the padded code, then the level.
    public static func < (lhs: DivisionCode, rhs: DivisionCode) -> Bool {
        (lhs.padded, lhs.level) < (rhs.padded, rhs.level)
    }
}

extension DivisionCode: TextIdentifier {
    /// Checks a 6, 9 or 12-digit code.
    public init(parsing text: String) throws(IdentifierError) { try self.init(text) }
}
