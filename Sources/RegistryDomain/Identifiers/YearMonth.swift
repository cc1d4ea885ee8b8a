import Foundation
import EventLog

/// A calendar month, `YYYY-MM`: the unit of plan periods (a target runs from one month to another, both whole).
public struct YearMonth: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The year, 1890...9999.
    public let year: Int
    /// The month, 1...12.
    public let month: Int

    /// A month; nil when the month is not 1...12 or the year not 1890...9999.
    public init?(year: Int, month: Int) {
        guard (1890...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Reads `YYYY-MM`.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(year: y, month: m)
    }

    /// The month of a date.
    public init(_ date: CalendarDate) {
        year = date.year
        month = date.month
    }

    /// Months since year 0 (a running index: consecutive months differ by one).
    public var index: Int { year * 12 + month - 1 }

    /// The month with this running index.
    public init?(index: Int) { self.init(year: index / 12, month: index % 12 + 1) }

    /// The first day.
    public var firstDay: CalendarDate { CalendarDate(year: year, month: month, day: 1)! }
    /// The last day.
    public var lastDay: CalendarDate { CalendarDate(year: year, month: month, day: CalendarDate.daysIn(month: month, year: year))! }

    /// `YYYY-MM`.
    public var description: String { Digits.padded(year, 4) + "-" + Digits.padded(month, 2) }

    public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool { lhs.index < rhs.index }

    /// Encodes `YYYY-MM`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Decodes `YYYY-MM`, refusing anything else.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        guard let m = YearMonth(iso: try c.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "a month is YYYY-MM")
        }
        self = m
    }
}

extension YearMonth: BinaryField {
    /// 4 bytes: the running month index.
    public func write(to writer: inout BinaryPayloadWriter) { writer.writeInteger(Int32(index)) }
    /// 4 bytes: the running month index.
    public static func read(from reader: inout BinaryPayloadReader) throws(EventFormatError) -> YearMonth {
        guard let m = YearMonth(index: Int(try reader.readInteger(Int32.self))) else {
            throw BinaryPayloadReader.malformed("invalid month", at: reader.offset - 4)
        }
        return m
    }
}
