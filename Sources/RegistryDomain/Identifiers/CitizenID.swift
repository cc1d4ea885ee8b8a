import EventLog

/// A citizen ID number (公民身份号码, GB 11643-1999): the person's unique key in the registry.
///
/// 18 characters: a 6-digit area code, an 8-digit birth date, a 3-digit sequence number whose parity is the
/// sex (odd male, even female), and a check character by ISO 7064 MOD 11-2 (`X` stands for 10). A value of this
/// type is always valid: the initialiser checks every rule. A lower-case `x` is normalised to `X`, and a
/// 15-digit legacy number is upgraded (century `19` inserted, check character computed).
///
/// The value is held as one 64-bit integer (the 17 leading digits), so copying, hashing and binary decoding
/// never allocate.
///
/// - Important: The number is personal data. ``description`` is the ``masked`` form (`1201**********0024`);
///   ``value`` is the full number, needed to name the person's stream.
public struct CitizenID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 17 leading digits as a number.
    @usableFromInline let body: UInt64

    /// The weights of ISO 7064 MOD 11-2 for the 17 leading digits.
    public static let weights: [Int] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// The check character for each value of the weighted sum modulo 11.
    public static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]
    /// The earliest birth year accepted.
    public static let earliestBirthYear = 1890

    /// Reads and checks a citizen ID number.
    /// - Parameters:
    ///   - text: 18 characters (the last may be `x` or `X`), or a 15-digit legacy number, which is upgraded.
    ///   - today: the date after which a birth date is in the future; today in China Standard Time by default.
    /// - Throws: ``IdentifierError`` with ``IdentifierError/Code/wrongLength``,
    ///   ``IdentifierError/Code/invalidCharacter``, ``IdentifierError/Code/invalidAreaCode``,
    ///   ``IdentifierError/Code/invalidDate``, ``IdentifierError/Code/futureDate`` or
    ///   ``IdentifierError/Code/invalidCheckCharacter``; the message never contains the number.
    /// - Note: An area code missing from today's division list is not an error (codes change); only the province
    ///   part is checked.
    public init(_ text: String, today: CalendarDate = .today()) throws(IdentifierError) {
        var u = Array(text.utf8)
        let legacy: Bool
        switch u.count {
        case 18: legacy = false
        case 15: legacy = true
        default: throw IdentifierError(.wrongLength, .citizenID, "must have 18 characters (or 15 for a legacy number), got \(u.count)")
        }
        let digitCount = legacy ? 15 : 17
        for i in 0..<digitCount where !(0x30...0x39).contains(u[i]) {
            throw IdentifierError(.invalidCharacter, .citizenID, "character \(i + 1) must be a digit")
        }
        if legacy {
            u.insert(contentsOf: [0x31, 0x39], at: 6)  // "19"
        } else if u[17] == UInt8(ascii: "x") {
            u[17] = UInt8(ascii: "X")
        }
        let province = Int(u[0] - 0x30) * 10 + Int(u[1] - 0x30)
        guard Self.isProvince(province) else {
            throw IdentifierError(.invalidAreaCode, .citizenID, "the area code's province part is not a province")
        }
        // A legacy number holds its date as YYMMDD in characters 7-12; an 18-character one as YYYYMMDD in 7-14.
        let dateCharacters = legacy ? "characters 7-12" : "characters 7-14"
        let year = Digits.value(u[6..<10])!, month = Digits.value(u[10..<12])!, day = Digits.value(u[12..<14])!
        guard let birth = CalendarDate(year: year, month: month, day: day), year >= Self.earliestBirthYear else {
            throw IdentifierError(.invalidDate, .citizenID, "the birth date (\(dateCharacters)) is not a real date")
        }
        guard birth <= today else {
            throw IdentifierError(.futureDate, .citizenID, "the birth date (\(dateCharacters)) is in the future")
        }
        var body: UInt64 = 0
        for i in 0..<17 { body = body &* 10 &+ UInt64(u[i] - 0x30) }
        let check = Self.checkByte(body)
        if legacy {
            u.append(check)
        } else {
            guard (0x30...0x39).contains(u[17]) || u[17] == UInt8(ascii: "X") else {
                throw IdentifierError(.invalidCharacter, .citizenID, "character 18 must be a digit or X")
            }
            guard u[17] == check else {
                throw IdentifierError(.invalidCheckCharacter, .citizenID, "the check character (character 18) does not match")
            }
        }
        self.body = body
    }

    /// Reads a citizen ID number, or nil when it is not valid.
    public init?(validating text: String) {
        guard let id = try? CitizenID(text) else { return nil }
        self = id
    }

    /// Rebuilds an ID from its 17 leading digits, as stored in the binary payload form.
    /// - Returns: nil when `body` has more than 17 digits.
    @inlinable
    init?(body: UInt64) {
        guard body < 100_000_000_000_000_000 else { return nil }
        self.body = body
    }

    /// The 17 leading digits as one number: a compact, allocation-free key for per-person tables.
    @inlinable public var leadingDigits: UInt64 { body }

    /// Rebuilds an ID from ``leadingDigits``, checking the birth date and province but not against today.
    /// - Returns: nil when the digits are not those of a valid ID.
    public init?(leadingDigits: UInt64) {
        guard leadingDigits < 100_000_000_000_000_000 else { return nil }
        var digits = String(leadingDigits)
        digits = String(repeating: "0", count: 17 - digits.count) + digits
        guard let check = CitizenID.checkCharacter(forLeading: digits),
              let id = try? CitizenID(digits + String(check), today: CalendarDate(year: 9999, month: 12, day: 31)!)
        else { return nil }
        self = id
    }

    /// Province codes of GB/T 2260 (and 9x for foreigners' permanent residence ID cards of 2023).
    static func isProvince(_ p: Int) -> Bool {
        switch p {
        case 11...15, 21...23, 31...37, 41...46, 50...54, 61...65, 71, 81, 82, 91...99: true
        default: false
        }
    }

    /// The check character (as ASCII) of 17 leading digits held as a number.
    @inlinable
    static func checkByte(_ body: UInt64) -> UInt8 {
        var rest = body
        var sum = 0
        // Weights from the last digit (position 17) back to the first.
        let w: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
            (2, 4, 8, 5, 10, 9, 7, 3, 6, 1, 2, 4, 8, 5, 10, 9, 7)
        withUnsafeBytes(of: w) { raw in
            let weights = raw.bindMemory(to: Int.self)
            for i in 0..<17 {
                sum += Int(rest % 10) * weights[i]
                rest /= 10
            }
        }
        let map: StaticString = "10X98765432"
        return map.utf8Start[sum % 11]
    }

    /// The check character computed for 17 leading digits.
    /// - Parameter digits: exactly 17 ASCII digits.
    /// - Returns: nil when `digits` is not 17 ASCII digits.
    public static func checkCharacter(forLeading digits: String) -> Character? {
        let u = Array(digits.utf8)
        guard u.count == 17, u.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let body = u.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 0x30) }
        return Character(Unicode.Scalar(checkByte(body)))
    }

    /// The full 18-character number.
    public var value: String {
        var bytes = [UInt8](repeating: 0x30, count: 18)
        var rest = body
        for i in stride(from: 16, through: 0, by: -1) {
            bytes[i] = 0x30 + UInt8(rest % 10)
            rest /= 10
        }
        bytes[17] = Self.checkByte(body)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The 6-digit area code where the number was issued, as a number.
    public var areaCode: Int { Int(body / 100_000_000_000) }

    /// The issuing area as a division code (the county, or a city or province code for old numbers).
    public var area: DivisionCode? { try? DivisionCode(Digits.padded(areaCode, 6)) }

    /// The birth date embedded in characters 7 to 14.
    public var birthDate: CalendarDate {
        let date = Int((body / 1000) % 100_000_000)
        return CalendarDate(year: date / 10_000, month: (date / 100) % 100, day: date % 100)!
    }

    /// The sex given by the parity of the sequence number (characters 15 to 17).
    public var sex: Sex { body % 10 % 2 == 1 ? .male : .female }

    /// The check character (character 18).
    public var checkCharacter: Character { Character(Unicode.Scalar(Self.checkByte(body))) }

    /// The number with characters 5 to 14 hidden: `1201**********0024`.
    public var masked: String { Masking.mask(value) }

    /// The masked number.
    public var description: String { masked }

    /// The person's stream: `person-<18-character number>`.
    public var streamID: StreamID { StreamID.person(self) }

    /// Orders by the 17 leading digits (area, birth date, sequence).
    public static func < (lhs: CitizenID, rhs: CitizenID) -> Bool { lhs.body < rhs.body }
}

extension CitizenID: TextIdentifier {
    /// Checks an 18-character number (or upgrades a 15-digit one).
    public init(parsing text: String) throws(IdentifierError) { try self.init(text) }
}
