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
    /// Persons who should hold some insurance (totals only; for a type, known minus exempt).
    public var shouldBeInsured: Int

    /// 参保率: enrolled over those who should be (totals: who should be insured and are).
    public var coverageRate: Double? {
        if type == nil { return shouldBeInsured == 0 ? nil : Double(shouldBeInsured - notEnrolled) / Double(shouldBeInsured) }
        return shouldBeInsured == 0 ? nil : Double(enrolled) / Double(shouldBeInsured)
    }

    /// 登记率: registered over known.
    public var registrationRate: Double? { known == 0 ? nil : Double(registered) / Double(known) }
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
            let a = Area.truncate(area(of: i), to: level)
            var r = rows[a] ?? (0...7).map { CoverageRow(area: Area.name(a, level: level), type: $0 == 0 ? nil : InsuranceType(rawValue: UInt8($0)),
                                                          known: 0, registered: 0, enrolled: 0, paying: 0, interrupted: 0,
                                                          notEnrolled: 0, exempt: 0, shouldBeInsured: 0) }
            let registered = Flags(rawValue: persons[i].flags).contains(.registered) ? 1 : 0
            let exempt = exemption(i) != nil
            var anyActive = false, anyInterrupted = false
            for t in 1...7 {
                r[t].known += 1
                r[t].registered += registered
                switch status(i, InsuranceType(rawValue: UInt8(t))!) {
                case .enrolled:
                    r[t].enrolled += 1; r[t].paying += 1; anyActive = true
                case .interrupted:
                    r[t].enrolled += 1; r[t].interrupted += 1; anyActive = true; anyInterrupted = true
                default:
                    if exempt { r[t].exempt += 1 } else { r[t].notEnrolled += 1 }
                }
                if !exempt { r[t].shouldBeInsured += 1 }
            }
            r[0].known += 1
            r[0].registered += registered
            if anyActive { r[0].enrolled += 1 }
            if anyActive && !anyInterrupted { r[0].paying += 1 }
            if anyInterrupted { r[0].interrupted += 1 }
            if exempt && !anyActive { r[0].exempt += 1 }
            if !exempt {
                let applicable = applicableRequirements(i, on: day)
                if applicable != 0 { r[0].shouldBeInsured += 1 }
                if unmetRequirements(i, on: day) != 0 { r[0].notEnrolled += 1 }
            }
            rows[a] = r
        }
        return rows.keys.sorted().flatMap { rows[$0]! }
    }

}
