import CPrefetch
import EventLog
import RegistryDomain

/// The registry's views folded from the log in one pass: every person's standing, survey tasks and ledger cases,
/// and the monthly counters. The coverage view, the survey worklists and the dynamic-management ledgers are
/// queries over it (``coverage(level:at:)``, ``worklist(at:)``, ``ledger(at:includeCleared:)``).
///
/// Each person's facts are folded by the same `PersonStanding` state machine the command rules run; this type adds
/// what only the views need: areas, survey tasks by id, the ledger and the monthly counters. Persons are held in one
/// 64-byte `PersonRecord` each, found through their `PersonKey`: the fold allocates nothing per event once a
/// person is known.
public struct RegistryFold: Projection, Sendable, Equatable {
    /// The settings the fold was built with.
    public let settings: ProjectionSettings
    /// Which records the fold takes (as-of cut-offs); changed only by ``narrowed(to:)``.
    public internal(set) var cutoff: ReplayCutoff
    /// The position of the last record looked at.
    public internal(set) var position: LogPosition = 0
    /// Person events folded.
    public internal(set) var eventsFolded = 0

    var index = PersonIndex()
    /// Every person, by number: one 64-byte record each, so that folding an event touches one cache line.
    var persons = CacheAlignedArray<PersonRecord>()
    /// Interrupted (person number << 3 | type) → since when.
    var interruptedSince: [UInt64: Int64] = [:]
    /// Every survey task, in dispatch order (each person's chained from their record).
    var tasks: [SurveyTaskRecord] = []
    /// Every ledger case, in the order opened.
    var cases: [LedgerCase] = []
    /// County and month → counters.
    var months: [UInt64: MonthCounters] = [:]

    /// The eligibility rules compiled to bit masks.
    let eligibility: EligibilityMasks
    /// The last day converted to `yyyymmdd` (events come in runs of the same day).
    var dayMemo: (day: Int64, yyyymmdd: Int) = (.min, 0)

    /// An empty fold.
    public init(settings: ProjectionSettings = .standard, cutoff: ReplayCutoff = .none) {
        self.settings = settings
        self.cutoff = cutoff
        self.eligibility = EligibilityMasks(settings.eligibility)
    }

    public static func == (a: RegistryFold, b: RegistryFold) -> Bool {
        a.settings == b.settings && a.cutoff == b.cutoff && a.position == b.position && a.eventsFolded == b.eventsFolded
            && a.persons == b.persons && a.index == b.index && a.interruptedSince == b.interruptedSince && a.tasks == b.tasks
            && a.cases == b.cases && a.months == b.months
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
        // index and the person records, not by arithmetic. So each run of records is taken in stages before it is
        // folded: the keys are parsed and their index slots prefetched; the slots probed (now in cache) and the
        // persons' records prefetched; their open ledger cases prefetched. A prefetch retires at once, unlike a load,
        // so a whole run's misses are in flight together; the fold then finds its lines in cache.
        let run = Self.prefetchRun
        var keys = [UInt64](repeating: 0, count: run)
        var numbers = [Int32](repeating: -1, count: run)
        var start = records.startIndex
        while start < records.endIndex {
            let end = min(records.endIndex, start + run)
            let n = end - start
            for j in 0..<n {
                let key = PersonKey.key(streamBytes: records[start + j].streamBytes) ?? 0
                keys[j] = key
                if key != 0 { index.prefetch(key) }
            }
            for j in 0..<n {
                let number = keys[j] == 0 ? -1 : (index[keys[j]] ?? -1)
                numbers[j] = number
                persons.prefetch(Int(number))
            }
            cases.withUnsafeBufferPointer { cases in
                for j in 0..<n where numbers[j] >= 0 {
                    let c = Int(persons[Int(numbers[j])].openCase)
                    if c >= 0, c < cases.count { cprefetch_read(cases.baseAddress! + c) }
                }
            }
            for j in 0..<n { try apply(records[start + j], key: keys[j], number: numbers[j]) }
            start = end
        }
    }

    /// Records looked up ahead of folding (their persons' lines must fit in the cache together). Measured on the
    /// 10M-event log, with loads and again with prefetches: runs of 64 to 512 (loads: to 2,048) are within noise.
    static let prefetchRun = 128

    /// Folds one record.
    public mutating func apply(_ record: RecordView) throws {
        try apply(record, key: PersonKey.key(streamBytes: record.streamBytes) ?? 0)
    }

    /// Folds one record whose person key is known (0: not a person stream), and the person's number if they were
    /// known before its run (-1: look them up).
    mutating func apply(_ record: RecordView, key: UInt64, number: Int32 = -1) throws {
        let at = record.position
        guard cutoff.take(record, advancing: &position), key != 0 else { return }
        let fact: PersonFact?
        do {
            fact = try PersonFact.decode(record)
        } catch {
            throw ProjectionError(position: at, reason: "\(error)")
        }
        guard let fact else { return }
        fold(fact, key: key, effective: record.effectiveTime.microsecondsSinceEpoch, position: at, number: number)
    }

    /// The person's number, `known` if not -1 (persons are only added, so a number found earlier stays theirs; the
    /// next number is a person the staged fold's first stage numbered: added here), otherwise found or added.
    mutating func person(_ key: UInt64, effective: Int64, day: Int, known: Int32 = -1) -> Int32 {
        if known >= 0 {
            if Int(known) == persons.count { addPerson(key, effective: effective, day: day) }
            return known
        }
        let (p, inserted) = index.findOrInsert(key, next: Int32(persons.count))
        if inserted { addPerson(key, effective: effective, day: day) }
        return p
    }

    /// A person first seen, with the next number.
    mutating func addPerson(_ key: UInt64, effective: Int64, day: Int) {
        persons.append(PersonRecord(key: key, firstSeenDay: Int32(truncatingIfNeeded: LocalCalendar.day(effective, offset: settings.utcOffsetSeconds)), day: day))
    }

    /// Folds one fact about a person: the standing first (the shared state machine), then what follows from the
    /// change in the views' own books — survey tasks, interruptions, monthly counters, the ledger.
    mutating func fold(_ fact: PersonFact, key: UInt64, effective: Int64, position at: LogPosition, number: Int32 = -1) {
        eventsFolded += 1
        let day = localDay(effective)
        let p = person(key, effective: effective, day: day, known: number)
        let i = Int(p)
        // Work on a copy of the record and store it once: one uniqueness check instead of one per field.
        var rec = persons[i]
        // Birthdays passed since the person's last fact change what applies to them: the ledger sees them first.
        if day > Int(rec.lastDay) { passBirthdays(&rec, person: p, until: day) }
        let before = rec.standing
        switch fact {
        case .taskDispatched(let task, let division):
            dispatchTask(task, &rec, person: p, division: division, effective: effective)
        case .visited(let task, _):
            advanceTask(task, rec, effective: effective) { $0.visited() }
        case .reviewed(let task, let level, let decision):
            advanceTask(task, rec, effective: effective) { $0.reviewed(level, decision) }
        default:
            break
        }
        rec.standing.apply(fact)
        var moved = false
        if before != rec.standing {
            followInterruptions(before: before, after: rec.standing, person: i, effective: effective)
            countChange(before: before, after: rec.standing, effective: effective)
            moved = county(area(before)) != county(area(rec.standing))
        }
        // The ledger's time for a person only moves forward: a back-dated fact (an enrolment effective in February
        // recorded after a registration effective in March) acts on the day the person's ledger has reached, so a
        // case is never cleared before it opened and no month's still-open count goes below zero.
        let ledgerDay = max(day, Int(rec.lastDay))
        let ledgerTime = ledgerDay == day ? effective : LocalCalendar.startOfDay(ledgerDay, offset: settings.utcOffsetSeconds)
        followLedger(&rec, person: p, on: ledgerDay, effective: ledgerTime, position: at, moved: moved)
        rec.lastDay = Int32(ledgerDay)
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
