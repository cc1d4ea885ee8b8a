import Foundation

/// A point in time: microseconds since 1970-01-01T00:00:00Z, as stored in every record.
public struct Timestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Microseconds since the Unix epoch (UTC).
    public var microsecondsSinceEpoch: Int64

    /// Creates a timestamp from microseconds since the Unix epoch.
    @inlinable
    public init(microsecondsSinceEpoch: Int64) { self.microsecondsSinceEpoch = microsecondsSinceEpoch }

    /// Creates a timestamp from a `Date`, rounded down to the microsecond.
    public init(_ date: Date) {
        self.microsecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    /// The current time of the system clock.
    public static var now: Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(microsecondsSinceEpoch: Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1_000)
    }

    /// The same instant as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(microsecondsSinceEpoch) / 1_000_000) }

    /// ISO 8601 with microseconds, UTC: `2024-03-01T08:00:00.000000Z`; a time outside ``calendarRange`` (damage,
    /// tampering) as its raw microseconds, marked.
    public var description: String {
        guard isInCalendarRange else { return "\(microsecondsSinceEpoch) µs since 1970 (out of range)" }
        let seconds = microsecondsSinceEpoch.floorDivided(by: 1_000_000)
        let micros = microsecondsSinceEpoch - seconds * 1_000_000
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(micros))
    }

    /// Parses an ISO 8601 time with its offset, `2024-03-01T08:00:00Z` or `2024-03-01T16:00:00.5+08:00`, by the
    /// rules of ``ISO8601/parseInstant(_:)`` (the one time reader).
    /// - Returns: nil when the text is not such a time; a date alone is a civil day, not an instant, and is nil
    ///   here (the registry reads it as a day in China Standard Time).
    public init?(iso8601 text: String) {
        guard let t = ISO8601.parseInstant(text) else { return nil }
        self = t
    }

    /// The instants a calendar date can name: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z.
    ///
    /// A record can hold any 64-bit time (damage, tampering, a library caller); every conversion to a calendar
    /// date clamps into this range (``clampedToCalendar``) rather than trapping, and an export refuses a time
    /// outside it.
    public static let calendarRange: ClosedRange<Int64> = -62_135_596_800_000_000...253_402_300_799_999_999

    /// Whether the instant lies in ``calendarRange``.
    @inlinable
    public var isInCalendarRange: Bool { Self.calendarRange.contains(microsecondsSinceEpoch) }

    /// The instant moved into ``calendarRange`` (the first or last instant of it when outside).
    @inlinable
    public var clampedToCalendar: Timestamp {
        Timestamp(microsecondsSinceEpoch: min(max(microsecondsSinceEpoch, Self.calendarRange.lowerBound), Self.calendarRange.upperBound))
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }
}

extension Int64 {
    @inlinable
    func floorDivided(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
