/// The one reader of ISO 8601 times and dates in CoverageRegistry: the JSON form's `effective`, the command's
/// `--as-of` and `--known-at`, audit stream names and birth dates all go through it, so a text means the same
/// wherever it is given.
///
/// Accepted, and nothing else (RFC 3339's profile of ISO 8601, narrowed):
/// - a date `YYYY-MM-DD`, a real one of the years 0001 to 9999 (``parseDate(_:)``);
/// - a time `YYYY-MM-DDTHH:MM:SS[.f]Z` or `...±HH:MM` (``parseInstant(_:)``): upper-case `T` and `Z`, seconds
///   required, 1 to 6 fraction digits (more are refused, never cut), hours 00-23, minutes and seconds 00-59 (a
///   leap second `23:59:60` is refused: the log counts no leap seconds), an offset of at most 14:00 (the
///   widest real zone, Kiribati's +14:00) with minutes 00-59, nothing after. The instant must lie within
///   0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z.
///
/// What a date alone means is for the caller to say: the registry reads it as a civil day in China Standard Time
/// (`RegistryDomain`'s `ISOTimestamp`).
public enum ISO8601 {
    /// The widest offset accepted, in minutes (+14:00, Line Islands).
    public static let maximumOffsetMinutes = 14 * 60

    /// A date: year, month, day.
    public struct Date: Hashable, Sendable {
        /// 1 to 9999.
        public var year: Int
        /// 1 to 12.
        public var month: Int
        /// 1 to the month's length.
        public var day: Int

        /// Days since 1970-01-01 (negative before it).
        public var daysSinceEpoch: Int64 { ISO8601.days(year: year, month: month, day: day) }
    }

    /// Reads `YYYY-MM-DD`.
    /// - Returns: nil unless the text is exactly a real date.
    public static func parseDate<S: StringProtocol>(_ text: S) -> Date? {
        var u: [UInt8] = []
        u.reserveCapacity(10)
        for b in text.utf8 { guard u.count < 11 else { return nil }; u.append(b) }
        guard u.count == 10 else { return nil }
        return date(u, 0)
    }

    /// Reads a time with its offset.
    /// - Returns: nil unless the text is exactly such a time (see the type's rules).
    public static func parseInstant<S: StringProtocol>(_ text: S) -> Timestamp? {
        let u = Array(text.utf8)
        guard u.count >= 20, u.count <= 39, let d = date(u, 0), u[10] == UInt8(ascii: "T"),
              u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"),
              let h = two(u, 11), let m = two(u, 14), let s = two(u, 17), h <= 23, m <= 59, s <= 59
        else { return nil }
        var i = 19
        var micros: Int64 = 0
        if u[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < u.count, (0x30...0x39).contains(u[i]) {
                micros = micros * 10 + Int64(u[i] - 0x30)
                digits += 1
                i += 1
            }
            guard (1...6).contains(digits) else { return nil }
            for _ in digits..<6 { micros *= 10 }
        }
        guard i < u.count else { return nil }
        var offsetMinutes = 0
        if u[i] == UInt8(ascii: "Z") {
            i += 1
        } else if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
            guard u.count == i + 6, u[i + 3] == UInt8(ascii: ":"), let oh = two(u, i + 1), let om = two(u, i + 4),
                  om <= 59, oh * 60 + om <= maximumOffsetMinutes
            else { return nil }
            offsetMinutes = (oh * 60 + om) * (u[i] == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == u.count else { return nil }
        let seconds = d.daysSinceEpoch * 86_400 + Int64(h * 3600 + m * 60 + s) - Int64(offsetMinutes * 60)
        let t = Timestamp(microsecondsSinceEpoch: seconds * 1_000_000 + micros)
        guard t >= earliest, t <= latest else { return nil }
        return t
    }

    /// 0001-01-01T00:00:00Z.
    public static let earliest = Timestamp(microsecondsSinceEpoch: days(year: 1, month: 1, day: 1) * 86_400_000_000)
    /// 9999-12-31T23:59:59.999999Z.
    public static let latest = Timestamp(microsecondsSinceEpoch: days(year: 10000, month: 1, day: 1) * 86_400_000_000 - 1)

    static func date(_ u: [UInt8], _ at: Int) -> Date? {
        guard u.count >= at + 10, u[at + 4] == UInt8(ascii: "-"), u[at + 7] == UInt8(ascii: "-"),
              let y1 = two(u, at), let y2 = two(u, at + 2), let m = two(u, at + 5), let d = two(u, at + 8)
        else { return nil }
        let y = y1 * 100 + y2
        guard y >= 1, (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y) else { return nil }
        return Date(year: y, month: m, day: d)
    }

    static func two(_ u: [UInt8], _ at: Int) -> Int? {
        guard at + 2 <= u.count, (0x30...0x39).contains(u[at]), (0x30...0x39).contains(u[at + 1]) else { return nil }
        return Int(u[at] - 0x30) * 10 + Int(u[at + 1] - 0x30)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Howard Hinnant's days_from_civil.
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
