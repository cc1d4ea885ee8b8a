import EventLog
import RegistryDomain

/// A person on the survey worklist.
public struct WorklistEntry: Sendable, Hashable, Codable {
    /// The person's masked citizen ID number.
    public var person: String
    /// The key of the person (for `history` and `explain`).
    public var key: UInt64
    /// The community (or finer known division) the visit is in: the task's division, else the person's area.
    public var division: UInt64
    /// Where the task stands (to dispatch: no task yet).
    public var state: RegistryFold.TaskState
    /// Days since the task was dispatched (or since the person entered the ledger, to dispatch).
    public var ageDays: Int
    /// Requirements not met.
    public var unmet: [String]
    /// Times the task was rejected and sent back.
    public var rejections: Int
}

/// Survey progress in one area (seed 004 annex 4: issued, screened, %).
public struct WorklistProgress: Sendable, Hashable, Codable {
    /// The area's code at the level asked for, or `unknown`.
    public var area: String
    /// People to visit without an open task.
    public var toDispatch: Int
    /// Tasks dispatched (every task, in any state).
    public var issued: Int
    /// Tasks visited at least once (visited, reviewed, confirmed, or sent back after a visit): 已筛查.
    public var screened: Int
    /// Tasks confirmed by the district.
    public var confirmed: Int
    /// Tasks rejected and sent back, waiting for a new visit.
    public var sentBack: Int
    /// Screened over issued, in percent with one decimal (the seed's 筛查比例).
    public var screenedPercent: Double? { issued == 0 ? nil : Percent.of(screened, issued) }
    /// Confirmed over issued, in percent with one decimal.
    public var confirmedPercent: Double? { issued == 0 ? nil : Percent.of(confirmed, issued) }
}

extension RegistryFold {
    /// Whether the person must be visited: a source or survey places them here, they are not exempt, and they
    /// miss a requirement.
    func needsVisit(_ i: Int, on day: Int) -> Bool {
        let s = persons[i].standing
        return s.livesInArea && eligibility.unmet(s, key: persons[i].key, on: day) != 0
    }

    /// Every open survey task (one entry each) and the people to visit who have no task yet, sorted by division then
    /// age (oldest first).
    /// - Parameter evaluation: the instant ages and requirements are taken at.
    public func worklist(at evaluation: Timestamp) -> [WorklistEntry] {
        let now = evaluation.microsecondsSinceEpoch
        let day = LocalCalendar.yyyymmdd(now, offset: settings.utcOffsetSeconds)
        var entries: [WorklistEntry] = []
        var hasTask = Set<Int32>()
        func days(since: Int64) -> Int { Int(max(0, now - since) / 86_400_000_000) }
        for t in tasks {
            hasTask.insert(t.person)
            guard t.state != .districtConfirmed else { continue }
            let i = Int(t.person)
            entries.append(WorklistEntry(
                person: PersonKey.maskedCitizenID(persons[i].key), key: persons[i].key, division: t.division, state: TaskState(t.state),
                ageDays: days(since: t.dispatchedAt),
                unmet: requirementNames(eligibility.unmet(persons[i].standing, key: persons[i].key, on: day)),
                rejections: Int(t.rejections)))
        }
        for i in 0..<persons.count where !hasTask.contains(Int32(i)) && needsVisit(i, on: day) {
            let since = persons[i].openCase >= 0 ? cases[Int(persons[i].openCase)].opened
                : (Int64(persons[i].firstSeenDay) * 86_400 - settings.utcOffsetSeconds) * 1_000_000
            entries.append(WorklistEntry(
                person: PersonKey.maskedCitizenID(persons[i].key), key: persons[i].key, division: area(of: i), state: .toDispatch,
                ageDays: days(since: since), unmet: requirementNames(eligibility.unmet(persons[i].standing, key: persons[i].key, on: day)),
                rejections: 0))
        }
        return entries.sorted { a, b in
            if a.division != b.division { return a.division < b.division }
            if a.ageDays != b.ageDays { return a.ageDays > b.ageDays }
            if a.key != b.key { return a.key < b.key }
            return a.state.rawValue < b.state.rawValue
        }
    }

    /// Survey progress per area at a level: to dispatch, issued, screened, confirmed, sent back. Tasks count in their
    /// own division; people to dispatch where they count.
    public func worklistProgress(level: DivisionCode.Level, at evaluation: Timestamp) -> [WorklistProgress] {
        let day = LocalCalendar.yyyymmdd(evaluation.microsecondsSinceEpoch, offset: settings.utcOffsetSeconds)
        var rows: [UInt64: WorklistProgress] = [:]
        func update(_ a: UInt64, _ change: (inout WorklistProgress) -> Void) {
            var r = rows[a] ?? WorklistProgress(area: Area.name(a, level: level), toDispatch: 0, issued: 0, screened: 0, confirmed: 0, sentBack: 0)
            change(&r)
            rows[a] = r
        }
        var hasTask = Set<Int32>()
        for t in tasks {
            hasTask.insert(t.person)
            update(Area.truncate(t.division, to: level)) { r in
                r.issued += 1
                if t.state.wasVisited { r.screened += 1 }
                if t.state == .districtConfirmed { r.confirmed += 1 }
                if t.state == .sentBack { r.sentBack += 1 }
            }
        }
        for i in 0..<persons.count where !hasTask.contains(Int32(i)) && needsVisit(i, on: day) {
            update(Area.truncate(area(of: i), to: level)) { $0.toDispatch += 1 }
        }
        return rows.keys.sorted().map { rows[$0]! }
    }

    /// The names of the requirements in a mask.
    public func requirementNames(_ mask: UInt8) -> [String] {
        settings.eligibility.requirements.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element.name)
    }
}
