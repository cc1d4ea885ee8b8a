import EventLog

/// A `Timestamp` whose JSON form is ISO 8601 with microseconds in UTC, `2024-03-01T08:00:00.000000Z`.
///
/// Read by `ISO8601` (the one time reader, in `EventLog`): a time with `Z` or an offset of at most ±14:00,
/// 1 to 6 fraction digits, no leap second, nothing after it. A date alone (`2024-03-01`) is a civil day in China
/// Standard Time and stands for its first instant, 00:00:00+08:00, here and everywhere in the registry.
/// Formatting and parsing keep every microsecond, so an export imports back exactly.
public struct ISOTimestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The instant.
    public var timestamp: Timestamp

    /// Wraps an instant.
    @inlinable
    public init(_ timestamp: Timestamp) { self.timestamp = timestamp }

    /// Parses an ISO 8601 time, or a date alone (midnight China Standard Time).
    /// - Returns: nil when the text is neither.
    public init?(parsing text: String) {
        if text.utf8.count == 10 {
            guard let date = CalendarDate(iso: text) else { return nil }
            self.timestamp = date.startTimestamp
            return
        }
        guard let t = ISO8601.parseInstant(text) else { return nil }
        self.timestamp = t
    }

    /// `2024-03-01T08:00:00.000000Z`. Total: a time outside years 1 to 9999 is written as the nearest instant
    /// inside them (an export refuses such a time before it gets here: `Timestamp/isInCalendarRange`).
    public var description: String {
        let us = timestamp.clampedToCalendar.microsecondsSinceEpoch
        let seconds = us >= 0 ? us / 1_000_000 : (us - 999_999) / 1_000_000
        let micros = us - seconds * 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let date = CalendarDate(daysSinceEpoch: days)
        return date.description + "T" + Digits.padded(secondOfDay / 3600, 2) + ":" + Digits.padded(secondOfDay / 60 % 60, 2)
            + ":" + Digits.padded(secondOfDay % 60, 2) + "." + Digits.padded(micros, 6) + "Z"
    }

    /// Earlier instants first.
    public static func < (lhs: ISOTimestamp, rhs: ISOTimestamp) -> Bool { lhs.timestamp < rhs.timestamp }
}

extension ISOTimestamp: Codable {
    /// Encodes `2024-03-01T08:00:00.000000Z`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Decodes an ISO 8601 time or date.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        guard let t = ISOTimestamp(parsing: try c.decode(String.self)) else {
            throw FieldProblem.at(c.codingPath, .invalidField, "not an ISO 8601 time such as 2024-03-01T08:00:00Z or a date YYYY-MM-DD (offsets at most ±14:00, at most 6 fraction digits)")
        }
        self = t
    }
}
