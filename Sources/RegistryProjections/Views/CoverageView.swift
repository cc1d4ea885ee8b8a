import EventLog
import RegistryDomain

/// One row of the coverage view: an area and an insurance type (or all types).
public struct CoverageRow: Sendable, Hashable, Codable {
    /// The area's code at the level asked for, or `unknown`.
    public var area: String
    /// The insurance type, or nil for the person totals over all types.
    public var type: InsuranceType?
    /// Persons known to the registry in the area (any fact about them).
    public var known: Int
    /// Persons with basic data registered.
    public var registered: Int
    /// Enrolled (paying or interrupted); for totals, persons with any active enrolment.
    public var enrolled: Int
    /// Enrolled and paying; for totals, persons with an active enrolment and none interrupted.
    public var paying: Int
    /// Enrolled with contributions interrupted; for totals, persons with any interrupted type.
    public var interrupted: Int
    /// Not enrolled and not exempt; for totals, persons who should be insured and are not.
    public var notEnrolled: Int
    /// Exempt (deceased, imprisoned, insured elsewhere, military service) and not enrolled.
    public var exempt: Int
    /// Persons who should hold the type (per-type eligibility, not exempt); for totals, persons who should hold some
    /// insurance (a requirement applies, not exempt).
    public var shouldBeInsured: Int

    /// 参保率 as a percentage: of those who should hold the type (totals: some insurance), the share who do (or
    /// hold another type that meets the same requirement). Nil when no one should.
    public var coveragePercent: Double? {
        shouldBeInsured == 0 ? nil : Percent.of(shouldBeInsured - notEnrolled, shouldBeInsured)
    }

    /// 登记率 as a percentage: registered over known.
    public var registrationPercent: Double? { known == 0 ? nil : Percent.of(registered, known) }
}

/// Percentages as the seeds print them: a number of percent, one decimal (88.9), the same in tables, CSV and JSON.
public enum Percent {
    /// `part / whole` in percent, rounded half away from zero to one decimal.
    @inlinable
    public static func of(_ part: Int, _ whole: Int) -> Double {
        (Double(part) * 1000 / Double(whole)).rounded() / 10
    }
}

extension RegistryFold {
    /// The coverage view: totals by area at one level, by insurance type and over all types.
    /// - Parameters:
    ///   - level: province, city, county, street or community.
    ///   - evaluation: the instant ages are taken at (working age for the pension requirement).
    /// - Returns: rows sorted by area, the all-types row of an area first.
    public func coverage(level: DivisionCode.Level, at evaluation: Timestamp) -> [CoverageRow] {
        let day = LocalCalendar.yyyymmdd(evaluation.microsecondsSinceEpoch, offset: settings.utcOffsetSeconds)
        var rows: [UInt64: [CoverageRow]] = [:]
        for i in 0..<persons.count {
            let s = persons[i].standing, key = persons[i].key
            let a = Area.truncate(area(s), to: level)
            var r = rows[a] ?? (0...7).map { CoverageRow(area: Area.name(a, level: level), type: $0 == 0 ? nil : InsuranceType(rawValue: UInt8($0)),
                                                          known: 0, registered: 0, enrolled: 0, paying: 0, interrupted: 0,
                                                          notEnrolled: 0, exempt: 0, shouldBeInsured: 0) }
            let registered = s.isRegistered ? 1 : 0
            let exempt = s.exemption != nil
            let eligible = exempt ? 0 : eligibility.eligibleTypes(s, key: key, on: day)
            let missing = eligibility.missingTypes(s, key: key, on: day)
            for t in 1...7 {
                let bit = UInt8(1) << (t - 1)
                r[t].known += 1
                r[t].registered += registered
                switch s.status(InsuranceType(rawValue: UInt8(t))!) {
                case .enrolled: r[t].enrolled += 1; r[t].paying += 1
                case .interrupted: r[t].enrolled += 1; r[t].interrupted += 1
                default: if exempt { r[t].exempt += 1 }
                }
                if eligible & bit != 0 { r[t].shouldBeInsured += 1 }
                if missing & bit != 0 { r[t].notEnrolled += 1 }
            }
            let anyActive = s.activeTypes != 0, anyInterrupted = s.interruptedTypes != 0
            r[0].known += 1
            r[0].registered += registered
            if anyActive { r[0].enrolled += 1 }
            if anyActive && !anyInterrupted { r[0].paying += 1 }
            if anyInterrupted { r[0].interrupted += 1 }
            if exempt && !anyActive { r[0].exempt += 1 }
            if !exempt {
                if eligibility.applicable(s, key: key, on: day) != 0 { r[0].shouldBeInsured += 1 }
                if eligibility.unmet(s, key: key, on: day) != 0 { r[0].notEnrolled += 1 }
            }
            rows[a] = r
        }
        return rows.keys.sorted().flatMap { rows[$0]! }
    }
}
