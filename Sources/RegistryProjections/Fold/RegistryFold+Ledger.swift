import EventLog
import RegistryDomain

// The dynamic-management ledger (工作台账): should-be-insured-but-not cases, opened, followed up, moved with the
// person, and cleared.

extension RegistryFold {
    /// Why a ledger case was cleared.
    public enum ClearReason: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case open = 0, enrolled, deceased, imprisoned, insuredElsewhere, militaryService, noLongerRequired
        public var description: String {
            switch self {
            case .open: "open"
            case .enrolled: "enrolled"
            case .deceased: "deceased"
            case .imprisoned: "imprisoned"
            case .insuredElsewhere: "insured elsewhere"
            case .militaryService: "military service"
            case .noLongerRequired: "no longer required"
            }
        }
    }

    /// One should-be-insured-but-not case of the dynamic-management ledger. The fields a follow-up touches come
    /// first, so that following an open case is one cache line.
    struct LedgerCase: Hashable, Sendable {
        var person: Int32
        var followUps: Int32
        var lastFollowUp: Int64
        /// The county it counts in now (it moves with the person).
        var area: UInt64
        var unmet: UInt8
        var reason: ClearReason
        /// How many times the case moved to another county with the person.
        var moves: Int32
        /// When it opened, and the position of the fact that opened it (0: a birthday opened it).
        var opened: Int64
        var openedPosition: LogPosition
        var cleared: Int64
        /// The position of the fact that cleared it (0: a birthday cleared it).
        var clearedPosition: LogPosition
    }

    /// The ledger after a fact (or a birthday) on a local `day`: opens a case when the person should be insured but
    /// is not; while open, counts the fact as a follow-up and moves the case to the person's county; clears it (with
    /// the reason) when that ends. `position` 0 means a birthday, not a fact. `moved`: the person's county may have
    /// changed (an open case is always in the person's county, so otherwise it need not be looked at).
    @inline(__always)
    mutating func followLedger(_ rec: inout PersonRecord, person p: Int32, on day: Int, effective: Int64, position at: LogPosition,
                               moved: Bool = false) {
        let unmet = eligibility.unmet(rec.standing, key: rec.key, on: day)
        let county = county(area(rec.standing))
        if rec.openCase >= 0 {
            let c = Int(rec.openCase)
            if unmet != 0 {
                if at != 0 {
                    cases[c].followUps += 1
                    cases[c].lastFollowUp = effective
                }
                cases[c].unmet = unmet
                if moved, cases[c].area != county {
                    months[monthKey(cases[c].area, effective), default: MonthCounters()].movedOut += 1
                    months[monthKey(county, effective), default: MonthCounters()].movedIn += 1
                    cases[c].area = county
                    cases[c].moves += 1
                }
            } else {
                let reason: ClearReason
                switch rec.standing.exemption {
                case .deceased: reason = .deceased
                case .imprisoned: reason = .imprisoned
                case .insuredElsewhere: reason = .insuredElsewhere
                case .militaryService: reason = .militaryService
                case nil: reason = rec.standing.activeTypes != 0 ? .enrolled : .noLongerRequired
                }
                cases[c].cleared = effective
                cases[c].clearedPosition = at
                cases[c].reason = reason
                rec.openCase = -1
                months[monthKey(cases[c].area, effective), default: MonthCounters()].cleared += 1
            }
        } else if unmet != 0 {
            rec.openCase = Int32(cases.count)
            cases.append(LedgerCase(person: p, followUps: 0, lastFollowUp: 0, area: county, unmet: unmet, reason: .open, moves: 0,
                                    opened: effective, openedPosition: at, cleared: 0, clearedPosition: 0))
            months[monthKey(county, effective), default: MonthCounters()].newFound += 1
        }
    }

    /// Ages change between facts: each birthday after the person's last day, up to `day`, on which what applies to
    /// them changes (turning 16, turning 60) is shown to the ledger on that birthday.
    mutating func passBirthdays(_ rec: inout PersonRecord, person p: Int32, until day: Int) {
        var from = Int(rec.lastDay)
        while let birthday = eligibility.nextBirthdayBoundary(key: rec.key, after: from, until: day) {
            let at = LocalCalendar.startOfDay(birthday, offset: settings.utcOffsetSeconds)
            followLedger(&rec, person: p, on: birthday, effective: at, position: 0)
            from = birthday
        }
        rec.lastDay = Int32(day)
    }

    /// The fold with every person's birthdays up to `evaluation` passed, so that the ledger and the monthly
    /// statistics show what is true on that day, not only on the days of the last facts.
    public func advanced(to evaluation: Timestamp) -> RegistryFold {
        let day = LocalCalendar.yyyymmdd(evaluation.microsecondsSinceEpoch, offset: settings.utcOffsetSeconds)
        var copy = self
        for i in 0..<copy.persons.count where Int(copy.persons[i].lastDay) < day {
            var rec = copy.persons[i]
            guard copy.eligibility.nextBirthdayBoundary(key: rec.key, after: Int(rec.lastDay), until: day) != nil else { continue }
            copy.passBirthdays(&rec, person: Int32(i), until: day)
            copy.persons[i] = rec
        }
        return copy
    }
}
