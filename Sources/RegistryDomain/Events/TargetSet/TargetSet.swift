import Foundation
import EventLog

/// A bureau set (or revised) a target for an area, an insurance type (or all) and a period.
///
/// Event type `TargetSet`, schema version 1. Lives in the area's target stream, `target-<division code>`. A target is
/// keyed by (area, type, kind, period); a later `TargetSet` with the same key is a revision and supersedes the earlier
/// value from its own effective date: an assessment as of an earlier date still uses the earlier value, and both stay
/// in history.
public struct TargetSet: Hashable, Sendable, Codable {
    /// The event type name in the log.
    public static let typeName = "TargetSet"
    /// The payload schema version.
    public static let schemaVersion: UInt16 = 1

    /// The area (a city, county or street); it names the stream.
    public var area: DivisionCode
    /// The insurance type, nil for all types together.
    public var insuranceType: InsuranceType?
    /// What is measured.
    public var kind: TargetKind
    /// The first month of the period.
    public var from: YearMonth
    /// The last month of the period (the plan's end, when contributors and rates are taken).
    public var to: YearMonth
    /// The figure: a count of persons or enrolments, or a percentage (0–100, one decimal).
    public var value: Double
    /// Why it was set or revised (a document number, no personal data).
    public var note: String

    /// Creates the payload.
    public init(area: DivisionCode, insuranceType: InsuranceType?, kind: TargetKind, from: YearMonth, to: YearMonth, value: Double, note: String = "") {
        self.area = area
        self.insuranceType = insuranceType
        self.kind = kind
        self.from = from
        self.to = to
        self.value = value
        self.note = note
    }

    /// The key a revision shares with what it revises.
    public var key: Key { Key(area: area, insuranceType: insuranceType, kind: kind, from: from, to: to) }

    /// What identifies a target across revisions.
    public struct Key: Hashable, Sendable, Comparable {
        public var area: DivisionCode
        public var insuranceType: InsuranceType?
        public var kind: TargetKind
        public var from: YearMonth
        public var to: YearMonth

        public static func < (a: Key, b: Key) -> Bool {
            if a.area != b.area { return a.area < b.area }
            if a.kind != b.kind { return TargetKind.allCases.firstIndex(of: a.kind)! < TargetKind.allCases.firstIndex(of: b.kind)! }
            if a.insuranceType != b.insuranceType { return (a.insuranceType?.rawValue ?? 0) < (b.insuranceType?.rawValue ?? 0) }
            if a.from != b.from { return a.from < b.from }
            return a.to < b.to
        }
    }

    /// Decodes the JSON form; fields with a default may be left out (`insuranceType` absent or `"all"`: all types).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        area = try c.decode(DivisionCode.self, forKey: .area)
        if let text = try? c.decodeIfPresent(String.self, forKey: .insuranceType), text == "all" {
            insuranceType = nil
        } else {
            insuranceType = try c.decodeIfPresent(InsuranceType.self, forKey: .insuranceType)
        }
        kind = try c.decode(TargetKind.self, forKey: .kind)
        from = try c.decode(YearMonth.self, forKey: .from)
        to = try c.decode(YearMonth.self, forKey: .to)
        value = try c.decode(Double.self, forKey: .value)
        note = try c.decodeIfPresent(String.self, forKey: .note) ?? ""
    }

    /// Encodes the JSON form (`insuranceType` `"all"` for all types).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(area, forKey: .area)
        if let insuranceType { try c.encode(insuranceType, forKey: .insuranceType) } else { try c.encode("all", forKey: .insuranceType) }
        try c.encode(kind, forKey: .kind)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(value, forKey: .value)
        try c.encode(note, forKey: .note)
    }

    enum CodingKeys: String, CodingKey { case area, insuranceType, kind, from, to, value, note }
}
