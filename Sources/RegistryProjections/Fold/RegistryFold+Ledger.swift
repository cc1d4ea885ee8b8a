import EventLog
import RegistryDomain

// The dynamic-management ledger (工作台账): should-be-insured-but-not cases, opened, followed up and cleared.

extension RegistryFold {
    /// Why a ledger case was cleared.
    public enum ClearReason: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible, Codable {
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

    /// One should-be-insured-but-not case of the dynamic-management ledger.
    struct LedgerCase: Hashable, Sendable {
        var person: Int32
        var opened: Int64
        var openedPosition: LogPosition
        var area: UInt64
        var unmet: UInt8
        var cleared: Int64
        var clearedPosition: LogPosition
        var reason: ClearReason
        var followUps: Int32
        var lastFollowUp: Int64
    }


    /// The ledger: opens a case when the person should be insured but is not, follows it up while it stays open,
    /// and clears it (with the reason) when that ends.
    mutating func followLedger(_ rec: inout PersonRecord, person p: Int32, caseBefore: Int32, area areaAfter: UInt64, effective: Int64, position at: LogPosition) {
        let unmet = applicable(rec, on: localDay(effective)) & ~met(rec)
        let exempt = exemption(rec)
        let shouldButNot = exempt == nil && unmet != 0
        if caseBefore >= 0 {
            let c = Int(caseBefore)
            if shouldButNot {
                cases[c].followUps += 1
                cases[c].lastFollowUp = effective
                cases[c].unmet = unmet
            } else {
                let reason: ClearReason
                switch exempt {
                case .deceased: reason = .deceased
                case .imprisoned: reason = .imprisoned
                case .insuredElsewhere: reason = .insuredElsewhere
                case .militaryService: reason = .militaryService
                case nil: reason = rec.activeTypes != 0 ? .enrolled : .noLongerRequired
                }
                cases[c].cleared = effective
                cases[c].clearedPosition = at
                cases[c].reason = reason
                rec.openCase = -1
                months[monthKey(cases[c].area, effective), default: MonthCounters()].cleared += 1
            }
        } else if shouldButNot {
            let area = county(areaAfter)
            rec.openCase = Int32(cases.count)
            cases.append(LedgerCase(person: p, opened: effective, openedPosition: at, area: area, unmet: unmet, cleared: 0,
                                    clearedPosition: 0, reason: .open, followUps: 0, lastFollowUp: 0))
            months[monthKey(area, effective), default: MonthCounters()].newFound += 1
        }
    }
}
