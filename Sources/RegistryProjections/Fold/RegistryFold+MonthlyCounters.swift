import EventLog
import RegistryDomain

// Monthly counters per county: cases found and cleared, active and interrupted enrolments.

extension RegistryFold {
    /// Counters of one county and month.
    struct MonthCounters: Hashable, Sendable {
        var newFound: Int32 = 0
        var cleared: Int32 = 0
        var activeDelta: Int32 = 0
        var interruptedDelta: Int32 = 0

        mutating func add(active: Int32, interrupted: Int32) {
            activeDelta += active
            interruptedDelta += interrupted
        }
    }


    mutating func setCoverage(_ rec: inout PersonRecord, _ i: Int, _ t: InsuranceType, _ status: Coverage.Status, effective: Int64, area: UInt64) {
        let old = rec.status(t)
        guard old != status else { return }
        rec.setStatus(t, status)
        let keyed = UInt64(i) << 3 | UInt64(t.rawValue)
        if status == .interrupted { interruptedSince[keyed] = effective } else if old == .interrupted { interruptedSince[keyed] = nil }
        let wasActive: Int32 = old == .enrolled || old == .interrupted ? 1 : 0
        let isActive: Int32 = status == .enrolled || status == .interrupted ? 1 : 0
        let wasInterrupted: Int32 = old == .interrupted ? 1 : 0
        let isInterrupted: Int32 = status == .interrupted ? 1 : 0
        if wasActive != isActive || wasInterrupted != isInterrupted {
            let k = monthKey(county(area), effective)
            months[k, default: MonthCounters()].add(active: isActive - wasActive, interrupted: isInterrupted - wasInterrupted)
        }
    }

    mutating func moveCounters(_ rec: PersonRecord, from old: UInt64, to new: UInt64, effective: Int64) {
        let from = county(old), to = county(new)
        guard from != to else { return }
        var active: Int32 = 0, interrupted: Int32 = 0
        for t in InsuranceType.allCases {
            let s = rec.status(t)
            if s == .enrolled || s == .interrupted { active += 1 }
            if s == .interrupted { interrupted += 1 }
        }
        guard active > 0 else { return }
        months[monthKey(from, effective), default: MonthCounters()].activeDelta -= active
        months[monthKey(from, effective), default: MonthCounters()].interruptedDelta -= interrupted
        months[monthKey(to, effective), default: MonthCounters()].activeDelta += active
        months[monthKey(to, effective), default: MonthCounters()].interruptedDelta += interrupted
    }


    @inline(__always)
    mutating func monthKey(_ county: UInt64, _ effective: Int64) -> UInt64 {
        let ymd = localDay(effective)
        let month = (ymd / 10_000) * 12 + (ymd / 100 % 100) - 1
        // Total for any time (LocalCalendar clamps to years 1-9999): a month number always fits its 20 bits.
        return (county / 1_000_000) << 20 | UInt64(min(max(month, 0), 0xFFFFF))
    }
}
