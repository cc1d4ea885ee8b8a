import Foundation
import EventLog
import RegistryDomain

/// One target assessed: the value in force, the actual figure from the views, completion and gap (seed 004 annex 3:
/// 缴费人数 / 计划指标 / 完成进度), or a parent area's total of its children's targets.
public struct TargetProgressRow: Sendable, Hashable, Codable {
    /// The area (a division code), or the parent area for a total row.
    public var area: String
    /// Whether this row is the total of the targets of ``area``'s children (合计), not a target of its own.
    public var isTotal: Bool
    /// The insurance type's name, or `all`.
    public var type: String
    public var kind: TargetKind
    /// The period, `YYYY-MM`.
    public var from: String
    public var to: String
    /// The target in force on the evaluation day (the latest revision effective by then).
    public var target: Double
    /// The actual figure: a count, or a percentage with one decimal.
    public var actual: Double
    /// Actual ÷ target in percent, one decimal (may exceed 100); for a ceiling, target ÷ actual (nil when actual is 0).
    public var completionPercent: Double?
    /// What is still missing: target − actual (actual − target for a ceiling); 0 or less when met.
    public var gap: Double
    /// Whether the target is met.
    public var met: Bool
    /// Rank among the areas sharing parent, kind, type and period (1 = highest completion); nil for totals.
    public var rank: Int?
    /// How many times the target was set up to the evaluation day (1 = never revised); for totals, the children.
    public var revisions: Int
    /// When the value in force took effect (`YYYY-MM-DD`).
    public var since: String
}

/// One month of one area and type, ready to plot: contributors at the month's end, new enrolments and interruptions
/// in the month, the interruption rate and (when month-end coverage folds are given) the coverage rate.
public struct ProgressSeriesPoint: Sendable, Hashable, Codable {
    public var area: String
    public var type: String
    /// `YYYY-MM`.
    public var month: String
    public var contributors: Int
    public var newEnrolments: Int
    public var interruptions: Int
    public var interruptionPercent: Double?
    public var coveragePercent: Double?
}

extension Percent {
    /// `part` ÷ `whole` in percent, one decimal, for figures that are not whole counts.
    public static func of(_ part: Double, _ whole: Double) -> Double { (part * 1000 / whole).rounded() / 10 }
}

extension TargetFold {
    /// Every target set, each with its revisions in log order.
    public func targetHistory() -> [(target: TargetSet.Key, revisions: [Revision])] {
        targets.keys.sorted().map { ($0, targets[$0]!) }
    }

    /// Sums the counters of an area over months `first...last`.
    func sum(area: DivisionCode, type: UInt8, months: ClosedRange<Int32>) -> Counters {
        var c = Counters()
        for (k, v) in counters where k.type == type && months.contains(k.month) && Area.truncate(k.area, to: area.level) == area.padded {
            c.contributors += v.contributors
            c.active += v.active
            c.interrupted += v.interrupted
            c.newEnrolments += v.newEnrolments
            c.interruptions += v.interruptions
        }
        return c
    }

    /// The actual figure of a target on a day: counts from this fold (taken at the period's end, or on the day when
    /// it comes first), rates of coverage and registration from `coverage` (nil when no coverage fold is given).
    public func actual(_ key: TargetSet.Key, at evaluation: Timestamp, coverage: RegistryFold?) -> Double? {
        let now = monthIndex(evaluation.microsecondsSinceEpoch)
        let last = min(now, Int32(key.to.index))
        let type = key.insuranceType?.rawValue ?? 0
        switch key.kind {
        case .contributors:
            return Double(sum(area: key.area, type: type, months: Int32.min...last).contributors)
        case .newEnrolments:
            guard last >= Int32(key.from.index) else { return 0 }
            return Double(sum(area: key.area, type: type, months: Int32(key.from.index)...last).newEnrolments)
        case .interruptionRateCeiling:
            let c = sum(area: key.area, type: type, months: Int32.min...last)
            return c.active == 0 ? 0 : Percent.of(Int(c.interrupted), Int(c.active))
        case .coverageRate, .registrationRate:
            guard let coverage else { return nil }
            let row = coverage.coverage(level: key.area.level, at: evaluation).first { $0.area == key.area.value && $0.type == key.insuranceType }
            guard let row else { return 0 }
            return (key.kind == .coverageRate ? row.coveragePercent : row.registrationPercent) ?? 0
        }
    }

    /// Every target assessed on a day, with totals for parent areas (count targets) and a ranking of areas.
    /// - Parameters:
    ///   - evaluation: the day; only revisions effective by then count.
    ///   - coverage: a ``RegistryFold`` with the same settings and cut-off, for coverage and registration targets
    ///     (left out when nil).
    public func progress(at evaluation: Timestamp, coverage: RegistryFold? = nil) -> [TargetProgressRow] {
        let off = settings.utcOffsetSeconds
        var rows: [TargetProgressRow] = []
        var keys: [TargetSet.Key] = []
        for key in targets.keys.sorted() {
            let inForce = targets[key]!.filter { $0.effective <= evaluation }
            guard let current = inForce.max(by: { ($0.effective, $0.position) < ($1.effective, $1.position) }),
                  let actual = actual(key, at: evaluation, coverage: coverage) else { continue }
            rows.append(Self.row(
                area: key.area.value, isTotal: false, key: key, target: current.value, actual: actual, revisions: inForce.count,
                since: LocalCalendar.dateText(current.effective.microsecondsSinceEpoch, offset: off)))
            keys.append(key)
        }
        // Group by parent, kind, type and period: rank the areas, and total the count targets.
        struct Group: Hashable { var parent: String; var kind: TargetKind; var type: String; var from: String; var to: String }
        var groups: [Group: [Int]] = [:]
        var order: [Group] = []
        for (i, r) in rows.enumerated() {
            let parent = (try? DivisionCode(r.area))?.parent?.value ?? ""
            let g = Group(parent: parent, kind: r.kind, type: r.type, from: r.from, to: r.to)
            if groups[g] == nil { order.append(g) }
            groups[g, default: []].append(i)
        }
        var out: [TargetProgressRow] = []
        for g in order {
            var members = groups[g]!.map { rows[$0] }
            let ranked = members.indices.sorted { (members[$0].completionPercent ?? -1, members[$1].area) > (members[$1].completionPercent ?? -1, members[$0].area) }
            for (rank, i) in ranked.enumerated() { members[i].rank = rank + 1 }
            if !g.kind.isRate, !g.parent.isEmpty {
                let key = keys[groups[g]![0]]
                let target = members.reduce(0) { $0 + $1.target }, actual = members.reduce(0) { $0 + $1.actual }
                out.append(Self.row(area: g.parent, isTotal: true, key: key, target: target, actual: actual, revisions: members.count, since: members.map(\.since).max() ?? "", rank: nil))
            }
            out += members
        }
        return out
    }

    static func row(area: String, isTotal: Bool, key: TargetSet.Key, target: Double, actual: Double, revisions: Int, since: String, rank: Int? = nil) -> TargetProgressRow {
        let ceiling = key.kind.isCeiling
        let completion: Double? = ceiling ? (actual == 0 ? nil : Percent.of(target, actual)) : (target == 0 ? nil : Percent.of(actual, target))
        let gap = ceiling ? actual - target : target - actual
        return TargetProgressRow(
            area: area, isTotal: isTotal, type: key.insuranceType?.name ?? "all", kind: key.kind, from: key.from.description, to: key.to.description,
            target: target, actual: actual, completionPercent: completion, gap: gap, met: gap <= 0, rank: rank, revisions: revisions, since: since)
    }

    /// The monthly series of every area at `level` for one type (nil: all types), months `from...to`.
    /// - Parameters:
    ///   - level: the level of the areas.
    ///   - type: the insurance type, or nil for all types.
    ///   - from: the first month.
    ///   - to: the last month.
    ///   - coverageAtMonthEnd: month-end folds (the ``RegistryFold`` cut at each month's last day, keyed by the
    ///     month) for the coverage rate; months without one have no coverage rate.
    public func series(level: DivisionCode.Level, type: InsuranceType?, from: YearMonth, to: YearMonth,
                       coverageAtMonthEnd: [YearMonth: RegistryFold] = [:]) -> [ProgressSeriesPoint] {
        let t = type?.rawValue ?? 0
        var areas = Set<UInt64>()
        for k in counters.keys where k.type == t { areas.insert(Area.truncate(k.area, to: level)) }
        var points: [ProgressSeriesPoint] = []
        for a in areas.sorted() {
            let name = Area.name(a, level: level)
            var running = Counters()
            for (k, v) in counters where k.type == t && Area.truncate(k.area, to: level) == a && k.month < Int32(from.index) {
                running.contributors += v.contributors; running.active += v.active; running.interrupted += v.interrupted
            }
            for m in from.index...max(from.index, to.index) {
                var month = Counters()
                for (k, v) in counters where k.type == t && k.month == Int32(m) && Area.truncate(k.area, to: level) == a {
                    month.contributors += v.contributors; month.active += v.active; month.interrupted += v.interrupted
                    month.newEnrolments += v.newEnrolments; month.interruptions += v.interruptions
                }
                running.contributors += month.contributors; running.active += month.active; running.interrupted += month.interrupted
                let ym = YearMonth(index: m)!
                let coverage = coverageAtMonthEnd[ym].flatMap { fold in
                    fold.coverage(level: level, at: ym.lastDay.startTimestamp).first { $0.area == name && $0.type == type }?.coveragePercent
                }
                points.append(ProgressSeriesPoint(
                    area: name, type: type?.name ?? "all", month: ym.description, contributors: Int(running.contributors),
                    newEnrolments: Int(month.newEnrolments), interruptions: Int(month.interruptions),
                    interruptionPercent: running.active == 0 ? nil : Percent.of(Int(running.interrupted), Int(running.active)),
                    coveragePercent: coverage))
            }
        }
        return points
    }
}
