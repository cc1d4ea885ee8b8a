import EventLog
import RegistryDomain

/// The registry's views folded from the log in one pass: every person's coverage, survey task and ledger case,
/// and the monthly counters. The coverage view, the survey worklists and the dynamic-management ledgers are
/// queries over it (``coverage(level:asOf:)``, ``worklist(level:asOf:)``, ``ledger(asOf:)``).
///
/// Persons are held as parallel arrays indexed by a dense number (struct of arrays), found through their
/// ``PersonKey``: the fold allocates nothing per event once a person is known.
public struct RegistryFold: Projection, Sendable, Equatable {
    /// The settings the model was built with.
    public let settings: ProjectionSettings
    /// Which records the model folds (as-of cut-offs).
    public let cutoff: ReplayCutoff
    /// The position of the last record looked at.
    public internal(set) var position: LogPosition = 0
    /// Person events folded.
    public internal(set) var eventsFolded = 0

    var index = PersonIndex()
    /// Every person, by number: one 48-byte record each, so that folding an event touches one cache line
    /// (separate arrays per field cost a cache miss per field on a city-sized log).
    var persons: [PersonRecord] = []
    var interruptedSince: [UInt64: Int64] = [:]
    var tasks: [Int32: Task] = [:]
    var cases: [LedgerCase] = []
    var months: [UInt64: MonthCounters] = [:]

    /// The eligibility rules compiled to masks: requirements by condition, and which requirements each set of
    /// active types meets (128 entries, one per set of the seven types).
    let everyoneMask: UInt8
    let employedMask: UInt8
    let ageRules: [(range: ClosedRange<Int>, mask: UInt8)]
    let metByActiveTypes: [UInt8]
    /// Keeps the look-ahead loads of ``apply(_:)-(RecordViews)`` from being optimised away; means nothing.
    var prefetchSink: UInt64 = 0
    /// The last day converted to `yyyymmdd` (events come in runs of the same day).
    var dayMemo: (day: Int64, yyyymmdd: Int) = (.min, 0)

    /// An empty model.
    public init(settings: ProjectionSettings = .standard, cutoff: ReplayCutoff = .none) {
        self.settings = settings
        self.cutoff = cutoff
        var everyone: UInt8 = 0, employed: UInt8 = 0
        var ages: [(ClosedRange<Int>, UInt8)] = []
        for (k, r) in settings.eligibility.requirements.enumerated() {
            switch r.condition {
            case .everyone: everyone |= 1 << k
            case .employed: employed |= 1 << k
            case .workingAgeNotStudent(let range): ages.append((range, 1 << k))
            }
        }
        everyoneMask = everyone
        employedMask = employed
        ageRules = ages
        metByActiveTypes = (0..<128).map { active in
            var met: UInt8 = 0
            for (k, r) in settings.eligibility.requirements.enumerated() where UInt8(active) & r.acceptable.rawValue != 0 { met |= 1 << k }
            return met
        }
    }

    public static func == (a: RegistryFold, b: RegistryFold) -> Bool {
        a.settings == b.settings && a.cutoff == b.cutoff && a.position == b.position && a.eventsFolded == b.eventsFolded
            && a.persons == b.persons && a.index == b.index && a.interruptedSince == b.interruptedSince && a.tasks == b.tasks
            && a.cases == b.cases && a.months == b.months  // not prefetchSink: it depends on how batches were cut
    }

    /// `yyyymmdd` of an effective time, remembering the last day converted.
    mutating func localDay(_ micros: Int64) -> Int {
        let day = LocalCalendar.day(micros, offset: settings.utcOffsetSeconds)
        if day != dayMemo.day {
            let c = LocalCalendar.civil(day)
            dayMemo = (day, c.year * 10_000 + c.month * 100 + c.day)
        }
        return dayMemo.yyyymmdd
    }

    /// Number of persons known.
    public var personCount: Int { persons.count }

    // MARK: - Folding

    /// Folds a batch of records in position order; records at or before ``position`` are skipped, so a batch
    /// seen twice changes nothing.
    /// - Throws: ``ProjectionError`` naming the position of a record that is not a readable registry event.
    public mutating func apply(_ records: RecordViews) throws {
        // On a city-sized log each event lands on a random person: folding is bound by cache misses on the person
        // index and the person records, not by arithmetic. So each run of records is taken in two steps: first a
        // tight loop that only looks up and touches each record's person (independent loads, which the processor
        // overlaps), then the fold itself, which then finds those lines in cache.
        let run = Self.prefetchRun
        var keys = [UInt64](repeating: 0, count: run)
        var numbers = [Int32](repeating: -1, count: run)
        var start = records.startIndex
        while start < records.endIndex {
            let end = min(records.endIndex, start + run)
            let n = end - start
            // Each step is a tight loop of independent loads, so that many cache misses are in flight at once.
            for j in 0..<n { keys[j] = PersonKey.key(streamBytes: records[start + j].streamBytes) ?? 0 }
            for j in 0..<n { numbers[j] = keys[j] == 0 ? -1 : (index[keys[j]] ?? -1) }
            var touched: UInt64 = 0
            for j in 0..<n where numbers[j] >= 0 { touched &+= UInt64(bitPattern: Int64(persons[Int(numbers[j])].openCase)) }
            for j in 0..<n where numbers[j] >= 0 {
                let c = persons[Int(numbers[j])].openCase
                if c >= 0 { touched &+= UInt64(truncatingIfNeeded: cases[Int(c)].followUps) }
            }
            prefetchSink &+= touched
            for j in 0..<n { try apply(records[start + j], key: keys[j]) }
            start = end
        }
    }

    /// Records looked up ahead of folding (their persons' lines must fit in the cache together). Measured on the
    /// 10M-event log: runs of 64 to 2,048 are within noise of each other; 128 gave the best times (4.4–5.5 s).
    static let prefetchRun = 128

    /// Folds one record.
    public mutating func apply(_ record: RecordView) throws {
        try apply(record, key: PersonKey.key(streamBytes: record.streamBytes) ?? 0)
    }

    /// Folds one record whose person key is known (0: not a person stream).
    mutating func apply(_ record: RecordView, key: UInt64) throws {
        let at = record.position
        guard at > position else { return }
        position = at
        guard key != 0, cutoff.admits(record) else { return }
        let fact: PersonFact?
        do {
            fact = try PersonFact.decode(record)
        } catch {
            throw ProjectionError(position: at, reason: "\(error)")
        }
        guard let fact else { return }
        fold(fact, key: key, effective: record.effectiveTime.microsecondsSinceEpoch, position: at)
    }

    mutating func person(_ key: UInt64, effective: Int64) -> Int32 {
        let (p, inserted) = index.findOrInsert(key, next: Int32(persons.count))
        guard inserted else { return p }
        persons.append(PersonRecord(key: key, firstSeen: effective))
        return p
    }

    mutating func fold(_ fact: PersonFact, key: UInt64, effective: Int64, position at: LogPosition) {
        eventsFolded += 1
        let p = person(key, effective: effective)
        let i = Int(p)
        // Work on a copy of the record and store it once: one uniqueness check instead of one per field.
        var rec = persons[i]
        let areaBefore = area(rec)
        let caseBefore = rec.openCase
        var f = Flags(rawValue: rec.flags)

        switch fact {
        case .registered(let h, let r, let employment):
            f.insert(.registered)
            if h != 0 { rec.hukou = h }
            if r != 0 { rec.residence = r }
            setStatus(&f, employment)
        case .corrected(let h, let r, let deceased, let employment):
            if let h { rec.hukou = h }
            if let r { rec.residence = r }
            if let deceased {
                if deceased { f.insert(.deceasedMark) } else { f.subtract(Flags.deceased) }
            }
            if let employment { setStatus(&f, employment) }
        case .observed(let finding):
            switch finding {
            case .resident: f.insert(.residentFinding)
            case .taxFiler: f.insert(.taxFiler)
            case .student: f.insert(.studentFinding)
            case .inmate: f.insert(.inmate)
            case .deceased: f.insert(.deceasedFinding)
            case .lowIncome: f.insert(.lowIncome)
            case .providentFundContributor: f.insert(.providentFund)
            case .employedAt: f.insert(.employedFinding)
            case .insuredInOtherProvince: f.insert(.insuredOtherProvince)
            }
        case .enrolled(let t), .resumed(let t), .transferredIn(let t):
            setCoverage(&rec, i, t, .enrolled, effective: effective, area: areaBefore)
        case .interrupted(let t):
            setCoverage(&rec, i, t, .interrupted, effective: effective, area: areaBefore)
        case .terminated(let t):
            setCoverage(&rec, i, t, .terminated, effective: effective, area: areaBefore)
        case .transferredOut(let t):
            setCoverage(&rec, i, t, .transferredOut, effective: effective, area: areaBefore)
        case .taskDispatched(let task, let division):
            tasks[p] = Task(id: task, division: division, dispatchedAt: effective, changedAt: effective, state: .dispatched, rejections: 0)
        case .visited(let task, let outcome):
            if var t = tasks[p], t.id == task {
                t.state = .visited
                t.changedAt = effective
                tasks[p] = t
            }
            if outcome == .completed { f.insert(.surveyed) }
        case .reviewed(let task, let level, let decision):
            if var t = tasks[p], t.id == task {
                switch (level, decision) {
                case (.street, .approve): t.state = .streetApproved
                case (.district, .approve): t.state = .districtConfirmed
                case (_, .reject):
                    t.state = .sentBack
                    t.rejections &+= 1
                }
                t.changedAt = effective
                tasks[p] = t
            }
        case .marked(let mark):
            switch mark {
            case .unwilling: f.insert(.unwilling)
            case .workingElsewhere: f.insert(.workingElsewhere)
            case .studying: f.insert(.studyingMark)
            case .deceased: f.insert(.deceasedMark)
            case .militaryService: f.insert(.military)
            case .imprisoned: f.insert(.imprisonedMark)
            case .insuredElsewhere: f.insert(.insuredElsewhereMark)
            }
        }
        rec.flags = f.rawValue

        // A move carries the person's active enrolments to the new area's counters.
        let areaAfter = area(rec)
        if areaAfter != areaBefore { moveCounters(rec, from: areaBefore, to: areaAfter, effective: effective) }

        followLedger(&rec, person: p, caseBefore: caseBefore, area: areaAfter, effective: effective, position: at)
        persons[i] = rec
    }
}

/// A record that is not a readable registry event stopped a projection.
public struct ProjectionError: Error, Sendable, CustomStringConvertible {
    /// The record's global position.
    public var position: LogPosition
    /// Why it could not be read.
    public var reason: String
    public var description: String { "projection stopped at position \(position): \(reason)" }
}
