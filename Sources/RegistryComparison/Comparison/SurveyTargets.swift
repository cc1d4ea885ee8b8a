import EventLog
import RegistryDomain
import RegistryProjections

/// The persons to dispatch for a survey (the worklist's "to dispatch" entries), as a set of keys with their
/// county: taken before and after a comparison to tell the new survey targets per county.
struct SurveyTargets: Sendable {
    /// Person key → county (padded division truncated to the county, 0 when unknown).
    var county: [UInt64: UInt64] = [:]

    /// The targets of the worklist view at an instant.
    init(_ model: RegistryFold, at time: Timestamp) {
        for entry in model.worklist(at: time) where entry.state == .toDispatch {
            county[entry.key] = Area.truncate(entry.division, to: .county)
        }
    }

    /// Per county: before, after, new.
    static func compare(before: SurveyTargets, after: SurveyTargets) -> [CountyTargets] {
        var rows: [UInt64: CountyTargets] = [:]
        for (_, c) in before.county {
            rows[c, default: CountyTargets(county: Area.name(c, level: .county), before: 0, after: 0, new: 0)].before += 1
        }
        for (key, c) in after.county {
            rows[c, default: CountyTargets(county: Area.name(c, level: .county), before: 0, after: 0, new: 0)].after += 1
            if before.county[key] == nil { rows[c]!.new += 1 }
        }
        return rows.keys.sorted().map { rows[$0]! }
    }
}
