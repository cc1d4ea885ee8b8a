import EventLog
import RegistryDomain

/// A should-be-insured-but-not case of the dynamic-management ledger (工作台账).
public struct LedgerEntry: Sendable, Hashable, Codable {
    public var person: String
    public var key: UInt64
    /// The county the case belongs to.
    public var area: String
    /// When the person entered the ledger, and the position of the fact that put them there (0: a birthday did).
    public var opened: Timestamp
    public var openedPosition: LogPosition
    /// Facts about the person while the case was open.
    public var followUps: Int
    public var lastFollowUp: Timestamp?
    /// When and why the case was cleared, if it was.
    public var cleared: Timestamp?
    public var clearedPosition: LogPosition?
    public var reason: RegistryFold.ClearReason
    /// The requirements not met (when the case was last open).
    public var unmet: [String]
    /// How many times the case moved to another county with the person.
    public var moves: Int
}

/// An interrupted contributor (中断缴费).
public struct InterruptionEntry: Sendable, Hashable, Codable {
    public var person: String
    public var key: UInt64
    public var area: String
    public var type: InsuranceType
    public var since: Timestamp
    public var days: Int
}

/// Monthly statistics of one county (seed 002 art. 28-30, 36).
public struct MonthlyStatistics: Sendable, Hashable, Codable {
    public var area: String
    /// `YYYY-MM`.
    public var month: String
    /// Should-be-insured-but-not persons found in the month.
    public var newFound: Int
    /// Cases cleared in the month.
    public var cleared: Int
    /// Open cases that moved in from another county with their person, and out to another county.
    public var movedIn: Int
    public var movedOut: Int
    /// Cases open at the month's end: equal to the coverage view's not-enrolled count of the county that day.
    public var stillOpen: Int
    /// Active enrolments (person × type) and interrupted ones at the month's end.
    public var active: Int
    public var interrupted: Int
    /// Interrupted over active at the month's end, in percent with one decimal.
    public var interruptionPercent: Double? { active == 0 ? nil : Percent.of(interrupted, active) }
}

extension RegistryFold {
    /// The ledger's cases on a day (birthdays up to it passed), open ones first, oldest first.
    /// - Parameters:
    ///   - evaluation: the day the ledger is shown for; nil: as of the last facts folded.
    ///   - includeCleared: whether cleared cases are listed too.
    public func ledger(at evaluation: Timestamp? = nil, includeCleared: Bool = true) -> [LedgerEntry] {
        if let evaluation { return advanced(to: evaluation).ledger(includeCleared: includeCleared) }
        return ledgerEntries(includeCleared: includeCleared, limit: nil)
    }

    /// The first `limit` entries of ``ledger(at:includeCleared:)``, with how many cases are open and cleared in all:
    /// a page of the ledger, made without an entry (and a masked ID) for every case of a city.
    public func ledgerPage(at evaluation: Timestamp? = nil, includeCleared: Bool = true, limit: Int) -> (entries: [LedgerEntry], open: Int, cleared: Int) {
        if let evaluation { return advanced(to: evaluation).ledgerPage(includeCleared: includeCleared, limit: limit) }
        let open = cases.reduce(0) { $0 + ($1.reason == .open ? 1 : 0) }
        return (ledgerEntries(includeCleared: includeCleared, limit: limit), open, includeCleared ? cases.count - open : 0)
    }

    private func ledgerEntries(includeCleared: Bool, limit: Int?) -> [LedgerEntry] {
        // Sorted as plain integers first (open before cleared, then opening time, then person), and only then made
        // into entries: sorting the entries themselves moved their strings, a retain and release per move (a
        // city's million cases took seconds).
        var order: [(open: Bool, opened: Int64, key: UInt64, index: Int32)] = []
        order.reserveCapacity(cases.count)
        for (i, c) in cases.enumerated() where includeCleared || c.reason == .open {
            order.append((c.reason == .open, c.opened, persons[Int(c.person)].key, Int32(i)))
        }
        order.sort { a, b in
            if a.open != b.open { return a.open }
            if a.opened != b.opened { return a.opened < b.opened }
            if a.key != b.key { return a.key < b.key }
            return a.index < b.index
        }
        var names: [UInt8: [String]] = [:]
        var entries: [LedgerEntry] = []
        entries.reserveCapacity(min(order.count, limit ?? order.count))
        for o in order.prefix(limit ?? order.count) {
            let c = cases[Int(o.index)]
            let isOpen = o.open
            let unmet: [String]
            if let known = names[c.unmet] { unmet = known } else { unmet = requirementNames(c.unmet); names[c.unmet] = unmet }
            entries.append(LedgerEntry(
                person: PersonKey.maskedCitizenID(o.key), key: o.key, area: Area.name(c.area, level: .county),
                opened: Timestamp(microsecondsSinceEpoch: c.opened), openedPosition: c.openedPosition,
                followUps: Int(c.followUps),
                lastFollowUp: c.followUps > 0 ? Timestamp(microsecondsSinceEpoch: c.lastFollowUp) : nil,
                cleared: isOpen ? nil : Timestamp(microsecondsSinceEpoch: c.cleared),
                clearedPosition: isOpen ? nil : c.clearedPosition, reason: c.reason, unmet: unmet, moves: Int(c.moves)))
        }
        return entries
    }

    /// Interrupted contributors with since when and for how long, longest first.
    public func interruptions(at evaluation: Timestamp) -> [InterruptionEntry] {
        interruptedSince.map { keyed, since in
            let i = Int(keyed >> 3)
            return InterruptionEntry(
                person: PersonKey.maskedCitizenID(persons[i].key), key: persons[i].key, area: Area.name(area(of: i), level: .county),
                type: InsuranceType(rawValue: UInt8(keyed & 7))!, since: Timestamp(microsecondsSinceEpoch: since),
                days: Int(max(0, evaluation.microsecondsSinceEpoch - since) / 86_400_000_000))
        }.sorted { a, b in
            if a.since != b.since { return a.since < b.since }
            if a.key != b.key { return a.key < b.key }
            return a.type.rawValue < b.type.rawValue
        }
    }

    /// Monthly statistics per county, and over all counties (area `all`), month by month.
    /// - Parameter evaluation: the day birthdays are passed up to; nil: as of the last facts folded.
    public func monthlyStatistics(at evaluation: Timestamp? = nil) -> [MonthlyStatistics] {
        if let evaluation { return advanced(to: evaluation).monthlyStatistics() }
        var byCounty: [UInt64: [(Int32, MonthCounters)]] = [:]
        var total: [Int32: MonthCounters] = [:]
        for (k, m) in months {
            let county = k >> 20, month = Int32(truncatingIfNeeded: k & 0xFFFFF)
            byCounty[county, default: []].append((month, m))
            var t = total[month] ?? MonthCounters()
            t.newFound += m.newFound; t.cleared += m.cleared; t.activeDelta += m.activeDelta; t.interruptedDelta += m.interruptedDelta
            t.movedIn += m.movedIn; t.movedOut += m.movedOut
            total[month] = t
        }
        func series(_ area: String, _ items: [(Int32, MonthCounters)]) -> [MonthlyStatistics] {
            var open = 0, active = 0, interrupted = 0
            return items.sorted { $0.0 < $1.0 }.map { month, m in
                open += Int(m.newFound) - Int(m.cleared) + Int(m.movedIn) - Int(m.movedOut)
                active += Int(m.activeDelta)
                interrupted += Int(m.interruptedDelta)
                return MonthlyStatistics(area: area, month: LocalCalendar.monthText(month), newFound: Int(m.newFound),
                                         cleared: Int(m.cleared), movedIn: Int(m.movedIn), movedOut: Int(m.movedOut), stillOpen: open,
                                         active: active, interrupted: interrupted)
            }
        }
        var rows: [MonthlyStatistics] = []
        for county in byCounty.keys.sorted() {
            rows += series(Area.name(county * 1_000_000, level: .county), byCounty[county]!)
        }
        rows += series("all", total.map { ($0.key, $0.value) })
        return rows
    }
}
