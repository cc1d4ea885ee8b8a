import EventLog

/// A calendar date in the proleptic Gregorian calendar, without a time or a time zone.
///
/// Used for birth dates and for the `audit-YYYY-MM-DD` stream names. Only real dates can be made.
public struct CalendarDate: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The year, such as 1985.
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month, 1 to 31.
    public let day: Int

    /// Creates a date when it exists in the calendar.
    /// - Returns: nil for impossible dates such as 2001-02-29 or 2024-13-01.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Whether `year` is a Gregorian leap year.
    @inlinable
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (negative before it).
    public var daysSinceEpoch: Int64 {
        // Howard Hinnant's days_from_civil.
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    public init(daysSinceEpoch days: Int64) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = Int(yoe + era * 400 + (m <= 2 ? 1 : 0))
        self.month = Int(m)
        self.day = Int(d)
    }

    /// The date of an instant in China Standard Time (UTC+8), the registry's civil time.
    ///
    /// Total: a time outside years 1 to 9999 gives the first or last date of that range.
    public init(_ time: Timestamp) {
        let local = time.clampedToCalendar.microsecondsSinceEpoch + 8 * 3_600_000_000
        let days = local >= 0 ? local / 86_400_000_000 : (local - 86_399_999_999) / 86_400_000_000
        self.init(daysSinceEpoch: days)
    }

    /// Today in China Standard Time.
    public static func today() -> CalendarDate { CalendarDate(Timestamp.now) }

    /// Midnight at the start of this date in China Standard Time.
    public var startTimestamp: Timestamp {
        Timestamp(microsecondsSinceEpoch: daysSinceEpoch * 86_400_000_000 - 8 * 3_600_000_000)
    }

    /// Parses `YYYY-MM-DD`.
    /// - Note: Read by `ISO8601/parseDate(_:)`, the one date reader.
    public init?(iso text: String) {
        guard let d = ISO8601.parseDate(text) else { return nil }
        self.init(year: d.year, month: d.month, day: d.day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        Digits.padded(year, 4) + "-" + Digits.padded(month, 2) + "-" + Digits.padded(day, 2)
    }

    /// `YYYYMMDD`, as embedded in citizen ID numbers.
    public var compact: String { Digits.padded(year, 4) + Digits.padded(month, 2) + Digits.padded(day, 2) }

    /// Earlier dates first.
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Encodes as `"YYYY-MM-DD"`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Decodes `"YYYY-MM-DD"`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        guard let date = CalendarDate(iso: try c.decode(String.self)) else {
            throw FieldProblem.at(c.codingPath, .invalidField, "not a real date YYYY-MM-DD")
        }
        self = date
    }
}

/// Small helpers for ASCII digits.
@usableFromInline
enum Digits {
    /// The value of a run of ASCII digits, or nil when a byte is not a digit.
    @inlinable
    static func value<C: Collection>(_ bytes: C) -> Int? where C.Element == UInt8 {
        var v = 0
        for b in bytes {
            guard b >= 0x30, b <= 0x39 else { return nil }
            v = v * 10 + Int(b - 0x30)
        }
        return v
    }

    /// `value` in decimal, left-padded with zeros to `width`.
    static func padded<I: BinaryInteger>(_ value: I, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
