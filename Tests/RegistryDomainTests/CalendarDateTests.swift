import Testing
import EventLog
@testable import RegistryDomain

@Suite struct CalendarDateTests {
    @Test func realDatesOnly() {
        #expect(CalendarDate(year: 2001, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2024, month: 4, day: 31) == nil)
        #expect(CalendarDate(iso: "2024-03-01") == CalendarDate(year: 2024, month: 3, day: 1))
        #expect(CalendarDate(iso: "2024-3-1") == nil)
    }

    @Test func daysRoundTrip() {
        for days: Int64 in [-800_000, -1, 0, 1, 19_783, 2_000_000] {
            #expect(CalendarDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(CalendarDate(daysSinceEpoch: 0).description == "1970-01-01")
    }

    @Test func chinaStandardTime() {
        // 2024-02-29T16:30Z is 2024-03-01 00:30 in Beijing.
        #expect(CalendarDate(Timestamp(iso8601: "2024-02-29T16:30:00Z")!) == CalendarDate(year: 2024, month: 3, day: 1))
        #expect(CalendarDate(year: 2024, month: 3, day: 1)!.startTimestamp == Timestamp(iso8601: "2024-02-29T16:00:00Z"))
    }

    @Test func isoTimestampKeepsMicroseconds() {
        for us: Int64 in [0, 1, 1_709_280_000_123_456, -1, -86_400_000_001] {
            let t = ISOTimestamp(Timestamp(microsecondsSinceEpoch: us))
            #expect(ISOTimestamp(parsing: t.description) == t)
        }
        #expect(ISOTimestamp(Timestamp(microsecondsSinceEpoch: 1_709_280_000_123_456)).description == "2024-03-01T08:00:00.123456Z")
        #expect(ISOTimestamp(parsing: "2024-03-01T16:00:00+08:00")?.timestamp == Timestamp(iso8601: "2024-03-01T08:00:00Z"))
        #expect(ISOTimestamp(parsing: "2024-03-01T08:00:00.5Z")?.timestamp.microsecondsSinceEpoch == 1_709_280_000_500_000)
        #expect(ISOTimestamp(parsing: "2024-03-01")?.timestamp == Timestamp(iso8601: "2024-02-29T16:00:00Z"))
        #expect(ISOTimestamp(parsing: "2024-03-01T08:00:00") == nil)
        #expect(ISOTimestamp(parsing: "yesterday") == nil)
    }
}

@Suite("Calendar conversions are total")
struct TotalCalendarConversionTests {
    @Test("Times outside years 1 to 9999 convert without trapping, clamped into the range")
    func extremes() {
        for micros in [Int64.min, Int64.min + 1, -62_167_219_200_000_000, -62_135_596_800_000_001, 253_402_300_800_000_000, Int64.max] {
            let time = Timestamp(microsecondsSinceEpoch: micros)
            #expect(!time.isInCalendarRange)
            let date = CalendarDate(time)
            #expect(date.year == 1 || date.year == 9999 || date.year == 10000, "\(micros)")
            let text = ISOTimestamp(time).description
            #expect(text == "0001-01-01T00:00:00.000000Z" || text == "9999-12-31T23:59:59.999999Z", "\(micros): \(text)")
            #expect(time.description.contains("out of range"))
        }
        #expect(Timestamp(microsecondsSinceEpoch: Timestamp.calendarRange.lowerBound).description == "0001-01-01T00:00:00.000000Z")
        #expect(Timestamp(microsecondsSinceEpoch: Timestamp.calendarRange.upperBound).description == "9999-12-31T23:59:59.999999Z")
    }
}
