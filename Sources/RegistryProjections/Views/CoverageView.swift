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
        // Counted into plain integers, eight rows of eight counters per area, and made into rows at the end: a
        // dictionary of row arrays cost an array copy per person.
        var slotOfArea: [UInt64: Int] = [:]
        var areas: [UInt64] = []
        var counts: [Int] = []
        var lastArea = UInt64.max, lastSlot = 0
        for i in 0..<persons.count {
            let s = persons[i].standing, key = persons[i].key
            let a = Area.truncate(area(s), to: level)
            if a != lastArea {
                if let found = slotOfArea[a] {
                    lastSlot = found
                } else {
                    lastSlot = areas.count
                    slotOfArea[a] = lastSlot
                    areas.append(a)
                    counts.append(contentsOf: repeatElement(0, count: Tally.perArea))
                }
                lastArea = a
            }
            let registered = s.isRegistered ? 1 : 0
            let exempt = s.exemption != nil
            let eligible = exempt ? 0 : eligibility.eligibleTypes(s, key: key, on: day)
            let missing = eligibility.missingTypes(s, key: key, on: day)
            counts.withUnsafeMutableBufferPointer { c in
                let base = lastSlot * Tally.perArea
                for t in 1...7 {
                    let row = base + t * Tally.count
                    let bit = UInt8(1) << (t - 1)
                    c[row + Tally.known] += 1
                    c[row + Tally.registered] += registered
                    switch s.status(InsuranceType(rawValue: UInt8(t))!) {
                    case .enrolled: c[row + Tally.enrolled] += 1; c[row + Tally.paying] += 1
                    case .interrupted: c[row + Tally.enrolled] += 1; c[row + Tally.interrupted] += 1
                    default: if exempt { c[row + Tally.exempt] += 1 }
                    }
                    if eligible & bit != 0 { c[row + Tally.shouldBeInsured] += 1 }
                    if missing & bit != 0 { c[row + Tally.notEnrolled] += 1 }
                }
                let anyActive = s.activeTypes != 0, anyInterrupted = s.interruptedTypes != 0
                c[base + Tally.known] += 1
                c[base + Tally.registered] += registered
                if anyActive { c[base + Tally.enrolled] += 1 }
                if anyActive && !anyInterrupted { c[base + Tally.paying] += 1 }
                if anyInterrupted { c[base + Tally.interrupted] += 1 }
                if exempt && !anyActive { c[base + Tally.exempt] += 1 }
                if !exempt {
                    if eligibility.applicable(s, key: key, on: day) != 0 { c[base + Tally.shouldBeInsured] += 1 }
                    if eligibility.unmet(s, key: key, on: day) != 0 { c[base + Tally.notEnrolled] += 1 }
                }
            }
        }
        var rows: [CoverageRow] = []
        rows.reserveCapacity(areas.count * 8)
        for (slot, a) in areas.enumerated().sorted(by: { $0.element < $1.element }) {
            let name = Area.name(a, level: level)
            for t in 0...7 {
                let row = slot * Tally.perArea + t * Tally.count
                rows.append(CoverageRow(area: name, type: t == 0 ? nil : InsuranceType(rawValue: UInt8(t)),
                                        known: counts[row + Tally.known], registered: counts[row + Tally.registered],
                                        enrolled: counts[row + Tally.enrolled], paying: counts[row + Tally.paying],
                                        interrupted: counts[row + Tally.interrupted], notEnrolled: counts[row + Tally.notEnrolled],
                                        exempt: counts[row + Tally.exempt], shouldBeInsured: counts[row + Tally.shouldBeInsured]))
            }
        }
        return rows
    }
}

/// Where each counter of a coverage row sits in the flat tally (`coverage(level:at:)`).
private enum Tally {
    static let known = 0, registered = 1, enrolled = 2, paying = 3, interrupted = 4, notEnrolled = 5, exempt = 6, shouldBeInsured = 7
    /// Counters per row.
    static let count = 8
    /// Counters per area: the all-types row and one per insurance type.
    static let perArea = 8 * count
}
