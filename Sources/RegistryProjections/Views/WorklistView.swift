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
    /// Where the task stands.
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
    public var area: String
    /// People to visit without a task yet.
    public var toDispatch: Int
    /// Tasks dispatched (in any state).
    public var issued: Int
    /// Tasks visited or further.
    public var screened: Int
    /// Tasks confirmed by the district.
    public var confirmed: Int
    /// Tasks rejected and sent back, waiting for a new visit.
    public var sentBack: Int
    /// Confirmed over issued.
    public var percentDone: Double? { issued == 0 ? nil : Double(confirmed) * 100 / Double(issued) }
}

extension RegistryFold {
    /// Whether the person must be visited: a source or survey places them here, they are not exempt, and they
    /// miss a requirement.
    func needsVisit(_ i: Int, on day: Int) -> Bool {
        livesInArea(i) && exemption(i) == nil && unmetRequirements(i, on: day) != 0
    }

    /// The people to visit and every open task, sorted by division then age (oldest first).
    /// - Parameter evaluation: the instant ages and requirements are taken at.
    public func worklist(at evaluation: Timestamp) -> [WorklistEntry] {
        let now = evaluation.microsecondsSinceEpoch
        let day = LocalCalendar.yyyymmdd(now, offset: settings.utcOffsetSeconds)
        var entries: [WorklistEntry] = []
        for i in 0..<persons.count {
            let task = tasks[Int32(i)]
            let needs = needsVisit(i, on: day)
            if let task, task.state == .districtConfirmed { continue }
            guard needs || task != nil else { continue }
            let since = task?.dispatchedAt ?? (persons[i].openCase >= 0 ? cases[Int(persons[i].openCase)].opened : persons[i].firstSeen)
            entries.append(WorklistEntry(
                person: PersonKey.maskedCitizenID(persons[i].key), key: persons[i].key, division: task?.division ?? area(of: i),
                state: task?.state ?? .toDispatch, ageDays: Int(max(0, now - since) / 86_400_000_000),
                unmet: requirementNames(unmetRequirements(i, on: day)), rejections: Int(task?.rejections ?? 0)))
        }
        return entries.sorted { a, b in
            if a.division != b.division { return a.division < b.division }
            if a.ageDays != b.ageDays { return a.ageDays > b.ageDays }
            return a.key < b.key
        }
    }

    /// Survey progress per area at a level: to dispatch, issued, screened, confirmed, sent back.
    public func worklistProgress(level: DivisionCode.Level, at evaluation: Timestamp) -> [WorklistProgress] {
        let day = LocalCalendar.yyyymmdd(evaluation.microsecondsSinceEpoch, offset: settings.utcOffsetSeconds)
        var rows: [UInt64: WorklistProgress] = [:]
        func row(_ a: UInt64) -> WorklistProgress {
            rows[a] ?? WorklistProgress(area: Area.name(a, level: level), toDispatch: 0, issued: 0, screened: 0, confirmed: 0, sentBack: 0)
        }
        for i in 0..<persons.count {
            if let task = tasks[Int32(i)] {
                let a = Area.truncate(task.division, to: level)
                var r = row(a)
                r.issued += 1
                switch task.state {
                case .visited, .streetApproved: r.screened += 1
                case .districtConfirmed: r.screened += 1; r.confirmed += 1
                case .sentBack: r.sentBack += 1
                case .dispatched, .toDispatch: break
                }
                rows[a] = r
            } else if needsVisit(i, on: day) {
                let a = Area.truncate(area(of: i), to: level)
                var r = row(a)
                r.toDispatch += 1
                rows[a] = r
            }
        }
        return rows.keys.sorted().map { rows[$0]! }
    }
}
