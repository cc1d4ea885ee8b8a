import EventLog
import RegistryDomain

// Monthly counters per county: cases found, cleared and moved; active and interrupted enrolments. Counted by the
// effective month of each fact.

extension RegistryFold {
    /// Counters of one county and month.
    struct MonthCounters: Hashable, Sendable {
        var newFound: Int32 = 0
        var cleared: Int32 = 0
        /// Open cases that came in from another county, or left for one, with their person.
        var movedIn: Int32 = 0
        var movedOut: Int32 = 0
        var activeDelta: Int32 = 0
        var interruptedDelta: Int32 = 0
    }

    /// A change of standing in the monthly counters: active and interrupted enrolments leave the county (and
    /// state) they were counted in and join the new ones, so a move, a death or an interruption is one rule.
    mutating func countChange(before: PersonStanding, after: PersonStanding, effective: Int64) {
        let from = county(area(before)), to = county(area(after))
        let activeBefore = Int32(before.activeTypes.nonzeroBitCount), activeAfter = Int32(after.activeTypes.nonzeroBitCount)
        let interruptedBefore = Int32(before.interruptedTypes.nonzeroBitCount), interruptedAfter = Int32(after.interruptedTypes.nonzeroBitCount)
        if from == to {
            guard activeBefore != activeAfter || interruptedBefore != interruptedAfter else { return }
            months[monthKey(to, effective), default: MonthCounters()].activeDelta += activeAfter - activeBefore
            months[monthKey(to, effective), default: MonthCounters()].interruptedDelta += interruptedAfter - interruptedBefore
        } else {
            if activeBefore != 0 || interruptedBefore != 0 {
                months[monthKey(from, effective), default: MonthCounters()].activeDelta -= activeBefore
                months[monthKey(from, effective), default: MonthCounters()].interruptedDelta -= interruptedBefore
            }
            if activeAfter != 0 || interruptedAfter != 0 {
                months[monthKey(to, effective), default: MonthCounters()].activeDelta += activeAfter
                months[monthKey(to, effective), default: MonthCounters()].interruptedDelta += interruptedAfter
            }
        }
    }

    /// Interrupted contributors: since when each (person, type) is interrupted.
    mutating func followInterruptions(before: PersonStanding, after: PersonStanding, person i: Int, effective: Int64) {
        let was = before.interruptedTypes, now = after.interruptedTypes
        guard was != now || (now != 0 && before.coverage != after.coverage) else { return }
        for t in InsuranceType.allCases {
            let bit = UInt8(1) << (t.rawValue - 1)
            let keyed = UInt64(i) << 3 | UInt64(t.rawValue)
            if now & bit != 0, was & bit == 0 { interruptedSince[keyed] = effective }
            if now & bit == 0, was & bit != 0 { interruptedSince[keyed] = nil }
        }
    }

    @inline(__always)
    mutating func monthKey(_ county: UInt64, _ effective: Int64) -> UInt64 {
        let ymd = localDay(effective)
        let month = (ymd / 10_000) * 12 + (ymd / 100 % 100) - 1
        // Total for any time (LocalCalendar clamps to years 1-9999): a month number always fits its 20 bits.
        return (county / 1_000_000) << 20 | UInt64(min(max(month, 0), 0xFFFFF))
    }
}
