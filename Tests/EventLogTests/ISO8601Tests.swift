import Testing
@testable import EventLog

/// The one time reader: every accepted form, and every near miss of each kind refused.
@Suite("ISO 8601 times and dates")
struct ISO8601Tests {
    @Test func acceptedTimes() {
        let cases: [(String, Int64)] = [
            ("2024-03-01T08:00:00Z", 1_709_280_000_000_000),
            ("2024-03-01T08:00:00.5Z", 1_709_280_000_500_000),
            ("2024-03-01T08:00:00.123456Z", 1_709_280_000_123_456),
            ("2024-03-01T16:00:00+08:00", 1_709_280_000_000_000),
            ("2024-03-01T08:00:00-00:00", 1_709_280_000_000_000),
            ("2024-03-01T22:00:00+14:00", 1_709_280_000_000_000),
            ("2024-02-29T20:00:00-12:00", 1_709_280_000_000_000),
            ("2024-03-01T13:45:00+05:45", 1_709_280_000_000_000),
            ("1969-12-31T23:59:59.999999Z", -1),
        ]
        for (text, micros) in cases {
            #expect(ISO8601.parseInstant(text)?.microsecondsSinceEpoch == micros, "\(text)")
            #expect(Timestamp(iso8601: text)?.microsecondsSinceEpoch == micros, "\(text)")
        }
    }

    @Test func refusedTimes() {
        let refused = [
            // Offsets that are no zone.
            "2024-03-01T08:00:00+99:99", "2024-03-01T08:00:00+24:00", "2024-03-01T08:00:00+08:60",
            "2024-03-01T08:00:00+14:01", "2024-03-01T08:00:00-15:00", "2024-03-01T08:00:00+0800", "2024-03-01T08:00:00+08",
            "2024-03-01T08:00:00+8:00",
            // Leap seconds, impossible clock values and dates.
            "2024-03-01T23:59:60Z", "2024-03-01T24:00:00Z", "2024-03-01T08:60:00Z", "2023-02-29T08:00:00Z",
            "2024-13-01T08:00:00Z", "0000-01-01T00:00:00Z",
            // Fractions: none after the point, more than six.
            "2024-03-01T08:00:00.Z", "2024-03-01T08:00:00.1234567Z", "2024-03-01T08:00:00,5Z",
            // Trailing or leading text, other separators, missing parts, lower case.
            "2024-03-01T08:00:00Z ", " 2024-03-01T08:00:00Z", "2024-03-01T08:00:00Zjunk", "2024-03-01T08:00:00Z\n",
            "2024-03-01 08:00:00Z", "2024-03-01t08:00:00Z", "2024-03-01T08:00:00z", "2024-03-01T08:00Z",
            "2024-03-01T08:00:00", "2024-03-01", "20240301T080000Z", "+2024-03-01T08:00:00Z", "2024-3-1T08:00:00Z",
            // Outside years 1 to 9999.
            "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-01:00",
            "",
        ]
        for text in refused {
            #expect(ISO8601.parseInstant(text) == nil, "\(text)")
            #expect(Timestamp(iso8601: text) == nil, "\(text)")
        }
    }

    @Test func dates() {
        #expect(ISO8601.parseDate("2024-02-29") == ISO8601.Date(year: 2024, month: 2, day: 29))
        #expect(ISO8601.parseDate("0001-01-01")?.daysSinceEpoch == -719_162)
        for text in ["2023-02-29", "2024-02-30", "2024-04-31", "0000-01-01", "2024-3-1", "2024-03-01 ", "2024-03-01T00:00:00Z", "２０２４-03-01"] {
            #expect(ISO8601.parseDate(text) == nil, "\(text)")
        }
        #expect(ISO8601.earliest.description == "0001-01-01T00:00:00.000000Z")
        #expect(ISO8601.latest.microsecondsSinceEpoch == 253_402_300_799_999_999)
    }
}
