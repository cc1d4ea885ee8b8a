import EventLog
import RegistryDomain

/// The settings a projection is built with; a checkpoint taken with other settings is not resumed.
public struct ProjectionSettings: Hashable, Sendable {
    /// Where a person counts (``AreaBasis``, defined with the person's standing in RegistryDomain).
    public var areaBasis: AreaBasis
    /// Who should hold which insurance.
    public var eligibility: EligibilityRules
    /// Offset of local time from UTC, in seconds, for days and months (China Standard Time: +8 h).
    public var utcOffsetSeconds: Int64

    /// Creates settings.
    public init(areaBasis: AreaBasis = .residence, eligibility: EligibilityRules = .standard, utcOffsetSeconds: Int64 = 8 * 3600) {
        self.areaBasis = areaBasis
        self.eligibility = eligibility
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// The default settings.
    public static let standard = ProjectionSettings()

    /// A stable fingerprint of the settings, stored with checkpoints.
    var fingerprint: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ v: UInt64) { h = (h ^ v) &* 0x0000_0100_0000_01B3 }
        mix(areaBasis == .hukou ? 1 : areaBasis == .residence ? 2 : 3)
        mix(0x5459_5045)  // per-type eligibility, version 2 of the fold
        for e in eligibility.byType {
            mix(UInt64(e.type.rawValue)); mix(e.exceptEmployed ? 1 : 0)
            switch e.condition {
            case .everyone: mix(21)
            case .employed: mix(22)
            case .workingAgeNotStudent(let range): mix(23); mix(UInt64(range.lowerBound)); mix(UInt64(range.upperBound))
            }
        }
        mix(UInt64(bitPattern: utcOffsetSeconds))
        for r in eligibility.requirements {
            for b in r.name.utf8 { mix(UInt64(b)) }
            mix(UInt64(r.acceptable.rawValue))
            switch r.condition {
            case .everyone: mix(11)
            case .employed: mix(12)
            case .workingAgeNotStudent(let range): mix(13); mix(UInt64(range.lowerBound)); mix(UInt64(range.upperBound))
            }
        }
        return h
    }
}

/// Local calendar arithmetic on microsecond timestamps, without Foundation.
public enum LocalCalendar {
    /// Days since 1970-01-01 in local time; a time outside years 1 to 9999 (a damaged or tampered record) counts
    /// as the nearest instant inside them, so every conversion below is total.
    @inlinable
    public static func day(_ micros: Int64, offset: Int64) -> Int64 {
        let inside = min(max(micros, Timestamp.calendarRange.lowerBound), Timestamp.calendarRange.upperBound)
        let s = inside / 1_000_000 + max(-86_400, min(86_400, offset))
        return s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
    }

    /// (year, month, day) of a day number (days since 1970-01-01), proleptic Gregorian.
    @inlinable
    public static func civil(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    /// Days since 1970-01-01 of a civil date (proleptic Gregorian); a day past the month's end rolls over (Feb 29
    /// of a common year is Mar 1).
    @inlinable
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The first microsecond of a local day given as `yyyymmdd`.
    @inlinable
    public static func startOfDay(_ yyyymmdd: Int, offset: Int64) -> Int64 {
        let d = days(year: yyyymmdd / 10_000, month: yyyymmdd / 100 % 100, day: yyyymmdd % 100)
        return (d * 86_400 - offset) * 1_000_000
    }

    /// `yyyymmdd` of a timestamp in local time.
    @inlinable
    public static func yyyymmdd(_ micros: Int64, offset: Int64) -> Int {
        let c = civil(day(micros, offset: offset))
        return c.year * 10_000 + c.month * 100 + c.day
    }

    /// A month number, `year * 12 + month - 1`, of a timestamp in local time.
    @inlinable
    public static func month(_ micros: Int64, offset: Int64) -> Int32 {
        let c = civil(day(micros, offset: offset))
        return Int32(c.year * 12 + c.month - 1)
    }

    /// `YYYY-MM` of a month number.
    public static func monthText(_ month: Int32) -> String {
        let y = Int(month) / 12, m = Int(month) % 12 + 1
        return "\(y)-" + (m < 10 ? "0\(m)" : "\(m)")
    }

    /// `YYYY-MM-DD` of a timestamp in local time.
    public static func dateText(_ micros: Int64, offset: Int64) -> String {
        let c = civil(day(micros, offset: offset))
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year)-\(two(c.month))-\(two(c.day))"
    }
}
