import EventLog

/// A `Timestamp` whose JSON form is ISO 8601 with microseconds in UTC, `2024-03-01T08:00:00.000000Z`.
///
/// Parsing also accepts a date alone (`2024-03-01`, midnight China Standard Time), fewer fraction digits and a
/// `+HH:MM` offset. Formatting and parsing keep every microsecond, so an export imports back exactly.
public struct ISOTimestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The instant.
    public var timestamp: Timestamp

    /// Wraps an instant.
    @inlinable
    public init(_ timestamp: Timestamp) { self.timestamp = timestamp }

    /// Parses an ISO 8601 time or date.
    /// - Returns: nil when the text is not one.
    public init?(parsing text: String) {
        if let date = CalendarDate(iso: text) { self.timestamp = date.startTimestamp; return }
        let u = Array(text.utf8)
        guard u.count >= 20, u[10] == UInt8(ascii: "T"), u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"),
              let date = CalendarDate(iso: String(decoding: u[0..<10], as: UTF8.self)),
              let h = Digits.value(u[11..<13]), let m = Digits.value(u[14..<16]), let s = Digits.value(u[17..<19]),
              h < 24, m < 60, s < 61
        else { return nil }
        var i = 19
        var micros: Int64 = 0
        if u[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < u.count, (0x30...0x39).contains(u[i]) {
                if digits < 6 { micros = micros * 10 + Int64(u[i] - 0x30) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        var offsetSeconds: Int64 = 0
        guard i < u.count else { return nil }
        if u[i] == UInt8(ascii: "Z") {
            i += 1
        } else if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-"), u.count == i + 6, u[i + 3] == UInt8(ascii: ":"),
                  let oh = Digits.value(u[(i + 1)..<(i + 3)]), let om = Digits.value(u[(i + 4)..<(i + 6)]) {
            offsetSeconds = Int64(oh * 3600 + om * 60) * (u[i] == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == u.count else { return nil }
        let seconds = date.daysSinceEpoch * 86_400 + Int64(h * 3600 + m * 60 + s) - offsetSeconds
        self.timestamp = Timestamp(microsecondsSinceEpoch: seconds * 1_000_000 + micros)
    }

    /// `2024-03-01T08:00:00.000000Z`.
    public var description: String {
        let us = timestamp.microsecondsSinceEpoch
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
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO 8601 time")
        }
        self = t
    }
}
