import Foundation
import EventLog
import RegistryDomain

/// One employer's staff coverage (seed 001 六(四): 参保企业抓漏保).
public struct EmployerCoverageRow: Sendable, Hashable, Codable {
    /// The unified social credit code.
    public var creditCode: String
    /// The registered name ("" when only person facts name the employer).
    public var name: String
    /// Its area (the registration division at the view's level; `unknown` when not registered).
    public var area: String
    /// Whether market regulation registered it (`EmployerRegistered`).
    public var registered: Bool
    /// Whether it is registered as an insured unit (参保单位登记).
    public var insuredUnit: Bool
    /// Living staff attributed to it: named by a current source observation, or enrolled through it.
    public var staff: Int
    /// Of them, those named by a source observation (tax, provident fund, employment registration, contracts).
    public var fromSources: Int
    /// Staff holding at least one active enrolment (enrolled or interrupted) through it.
    public var enrolled: Int
    /// Staff enrolled through it, per employee insurance type (in ``EmployerSettings/employeeTypes`` order).
    public var enrolledByType: [TypeCount]
    /// Staff who should be insured through it and hold no active enrolment through it (漏保): not exempt.
    public var notEnrolled: Int
    /// Staff enrolled through it in some employee types but not all (selective enrolment).
    public var selective: Int

    /// A count for one insurance type.
    public struct TypeCount: Sendable, Hashable, Codable {
        public var type: InsuranceType
        public var count: Int
    }

    /// Enrolled staff over enrolled plus not enrolled, in percent with one decimal.
    public var coveragePercent: Double? { enrolled + notEnrolled == 0 ? nil : Percent.of(enrolled, enrolled + notEnrolled) }
}

/// Employer coverage totals for an area.
public struct EmployerAreaRow: Sendable, Hashable, Codable {
    public var area: String
    /// Employers with staff or a registration here.
    public var employers: Int
    public var registered: Int
    public var insuredUnits: Int
    /// Employers with at least one un-enrolled staff member.
    public var withUnenrolled: Int
    public var staff: Int
    public var enrolled: Int
    public var notEnrolled: Int
    public var selective: Int

    /// Enrolled over enrolled plus not enrolled, in percent with one decimal.
    public var coveragePercent: Double? { enrolled + notEnrolled == 0 ? nil : Percent.of(enrolled, enrolled + notEnrolled) }
}

extension EmployerFold {
    /// Every employer's staff coverage, by credit code.
    /// - Parameter level: the area level of the `area` column.
    public func employerCoverage(level: DivisionCode.Level = .county) -> [EmployerCoverageRow] {
        var rows: [CreditCode: EmployerCoverageRow] = [:]
        func row(_ code: CreditCode) -> EmployerCoverageRow {
            if let r = rows[code] { return r }
            let e = employers[code]
            return EmployerCoverageRow(
                creditCode: code.value, name: e?.registration?.name ?? "",
                area: Area.name(Area.truncate(e?.registration?.division.padded ?? 0, to: level), level: level),
                registered: e?.registration != nil, insuredUnit: e?.insuredUnit != nil, staff: 0, fromSources: 0, enrolled: 0,
                enrolledByType: settings.employeeTypes.map { .init(type: $0, count: 0) }, notEnrolled: 0, selective: 0)
        }
        for code in employers.keys { rows[code] = row(code) }
        for (key, s) in staff {
            let standing = standings[key] ?? PersonStanding()
            guard !standing.isDeceased else { continue }
            var named = Set(s.attributions.map(\.employer))
            let sourced = named
            for t in InsuranceType.allCases where standing.status(t) == .enrolled || standing.status(t) == .interrupted {
                if let e = s.through[Int(t.rawValue) - 1] { named.insert(e) }
            }
            for code in named {
                var r = row(code)
                r.staff += 1
                if sourced.contains(code) { r.fromSources += 1 }
                var held = 0
                for (i, t) in settings.employeeTypes.enumerated() {
                    let active = standing.status(t) == .enrolled || standing.status(t) == .interrupted
                    if active, s.through[Int(t.rawValue) - 1] == code { r.enrolledByType[i].count += 1; held += 1 }
                }
                let anyThrough = InsuranceType.allCases.contains { t in
                    (standing.status(t) == .enrolled || standing.status(t) == .interrupted) && s.through[Int(t.rawValue) - 1] == code
                }
                if anyThrough { r.enrolled += 1 } else if standing.exemption == nil { r.notEnrolled += 1 }
                if held > 0, held < settings.employeeTypes.count { r.selective += 1 }
                rows[code] = r
            }
        }
        return rows.keys.sorted { $0.value < $1.value }.map { rows[$0]! }
    }

    /// Employer coverage totals by area (the registration division; `unknown` for employers only person facts name).
    public func employerCoverageByArea(level: DivisionCode.Level = .county) -> [EmployerAreaRow] {
        var totals: [String: EmployerAreaRow] = [:]
        for r in employerCoverage(level: level) {
            var t = totals[r.area] ?? EmployerAreaRow(area: r.area, employers: 0, registered: 0, insuredUnits: 0, withUnenrolled: 0, staff: 0,
                                                       enrolled: 0, notEnrolled: 0, selective: 0)
            t.employers += 1
            if r.registered { t.registered += 1 }
            if r.insuredUnit { t.insuredUnits += 1 }
            if r.notEnrolled > 0 { t.withUnenrolled += 1 }
            t.staff += r.staff
            t.enrolled += r.enrolled
            t.notEnrolled += r.notEnrolled
            t.selective += r.selective
            totals[r.area] = t
        }
        return totals.keys.sorted().map { totals[$0]! }
    }
}
