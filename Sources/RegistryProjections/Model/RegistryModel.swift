import EventLog
import RegistryDomain

/// The registry's views folded from the log in one pass: every person's coverage, survey task and ledger case,
/// and the monthly counters. The coverage view, the survey worklists and the dynamic-management ledgers are
/// queries over it (``coverage(level:asOf:)``, ``worklist(level:asOf:)``, ``ledger(asOf:)``).
///
/// Persons are held as parallel arrays indexed by a dense number (struct of arrays), found through their
/// ``PersonKey``: the fold allocates nothing per event once a person is known.
public struct RegistryModel: Projection, Sendable, Equatable {
    /// Person flags.
    struct Flags: OptionSet, Hashable, Sendable {
        let rawValue: UInt32
        static let registered = Flags(rawValue: 1 << 0)
        static let deceasedFinding = Flags(rawValue: 1 << 1)
        static let inmate = Flags(rawValue: 1 << 2)
        static let insuredOtherProvince = Flags(rawValue: 1 << 3)
        static let studentFinding = Flags(rawValue: 1 << 4)
        static let employedFinding = Flags(rawValue: 1 << 5)
        static let residentFinding = Flags(rawValue: 1 << 6)
        static let surveyed = Flags(rawValue: 1 << 7)
        static let lowIncome = Flags(rawValue: 1 << 8)
        static let taxFiler = Flags(rawValue: 1 << 9)
        static let providentFund = Flags(rawValue: 1 << 10)
        static let unwilling = Flags(rawValue: 1 << 11)
        static let workingElsewhere = Flags(rawValue: 1 << 12)
        static let studyingMark = Flags(rawValue: 1 << 13)
        static let deceasedMark = Flags(rawValue: 1 << 14)
        static let military = Flags(rawValue: 1 << 15)
        static let imprisonedMark = Flags(rawValue: 1 << 16)
        static let insuredElsewhereMark = Flags(rawValue: 1 << 17)
        static let employedStatus = Flags(rawValue: 1 << 18)
        static let studentStatus = Flags(rawValue: 1 << 19)

        static let deceased: Flags = [.deceasedFinding, .deceasedMark]
    }

    /// A survey task's state as the worklist shows it.
    public enum TaskState: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case toDispatch = 0, dispatched, visited, streetApproved, districtConfirmed, sentBack
        public var description: String {
            switch self {
            case .toDispatch: "to dispatch"
            case .dispatched: "dispatched"
            case .visited: "visited"
            case .streetApproved: "street approved"
            case .districtConfirmed: "district confirmed"
            case .sentBack: "rejected, sent back"
            }
        }
    }

    struct Task: Hashable, Sendable {
        var id: UUIDKey
        var division: UInt64
        var dispatchedAt: Int64
        var changedAt: Int64
        var state: TaskState
        var rejections: UInt16
    }

    /// Why someone needs no insurance here.
    public enum Exemption: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case deceased = 1, imprisoned, insuredElsewhere, militaryService
        public var description: String {
            switch self {
            case .deceased: "deceased"
            case .imprisoned: "imprisoned"
            case .insuredElsewhere: "insured elsewhere"
            case .militaryService: "military service"
            }
        }
    }

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

    public static func == (a: RegistryModel, b: RegistryModel) -> Bool {
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

        // The ledger: open a case when the person should be insured but is not; clear it when that ends.
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
        persons[i] = rec
    }

    @inline(__always)
    mutating func setStatus(_ f: inout Flags, _ employment: EmploymentStatus) {
        f.subtract([.employedStatus, .studentStatus])
        if employment == .employed { f.insert(.employedStatus) }
        if employment == .student { f.insert(.studentStatus) }
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

    // MARK: - Derived facts about a person

    /// The person's area on the chosen basis (the other division when that one is unknown), padded 12 digits.
    @inline(__always)
    func area(of i: Int) -> UInt64 { area(persons[i]) }

    @inline(__always)
    func area(_ r: PersonRecord) -> UInt64 {
        switch settings.areaBasis {
        case .hukou: return r.hukou != 0 ? r.hukou : r.residence
        case .residence: return r.residence != 0 ? r.residence : r.hukou
        }
    }

    /// The 6-digit county part of a padded division, as a padded division (0 when unknown).
    @inline(__always)
    func county(_ padded: UInt64) -> UInt64 { padded / 1_000_000 * 1_000_000 }

    @inline(__always)
    mutating func monthKey(_ county: UInt64, _ effective: Int64) -> UInt64 {
        let ymd = localDay(effective)
        let month = (ymd / 10_000) * 12 + (ymd / 100 % 100) - 1
        // Total for any time (LocalCalendar clamps to years 1-9999): a month number always fits its 20 bits.
        return (county / 1_000_000) << 20 | UInt64(min(max(month, 0), 0xFFFFF))
    }

    @inline(__always)
    func status(_ i: Int, _ t: InsuranceType) -> Coverage.Status {
        persons[i].status(t)
    }

    func hasActiveEnrolment(_ i: Int) -> Bool {
        persons[i].activeTypes & 0x7F != 0
    }

    /// Why the person needs no insurance, if they need none.
    func exemption(_ i: Int) -> Exemption? { exemption(persons[i]) }

    @inline(__always)
    func exemption(_ r: PersonRecord) -> Exemption? {
        let f = Flags(rawValue: r.flags)
        if !f.isDisjoint(with: Flags.deceased) { return .deceased }
        if f.contains(.inmate) || f.contains(.imprisonedMark) { return .imprisoned }
        if f.contains(.insuredOtherProvince) || f.contains(.insuredElsewhereMark) { return .insuredElsewhere }
        if f.contains(.military) { return .militaryService }
        return nil
    }

    /// Whether a source or a survey places the person in the area: the worklist's first condition.
    func livesInArea(_ i: Int) -> Bool {
        let f = Flags(rawValue: persons[i].flags)
        return persons[i].residence != 0 || f.contains(.residentFinding) || f.contains(.surveyed)
    }

    /// The requirements (bit *k* for requirement *k*) the person should meet and does not, on a day `yyyymmdd`.
    @inline(__always)
    func unmetRequirements(_ i: Int, on day: Int) -> UInt8 {
        applicableRequirements(i, on: day) & ~metRequirements(i)
    }

    /// The requirements an active enrolment meets. A transfer out counts: the person is insured in another region.
    func metRequirements(_ i: Int) -> UInt8 { met(persons[i]) }

    @inline(__always)
    func met(_ r: PersonRecord) -> UInt8 { metByActiveTypes[Int(r.coveredTypes)] }

    /// The requirements that apply to the person on a day `yyyymmdd`, met or not.
    func applicableRequirements(_ i: Int, on day: Int) -> UInt8 { applicable(persons[i], on: day) }

    @inline(__always)
    func applicable(_ r: PersonRecord, on day: Int) -> UInt8 {
        let f = Flags(rawValue: r.flags)
        var applicable = everyoneMask
        if f.contains(.employedFinding) || f.contains(.employedStatus) { applicable |= employedMask }
        if !ageRules.isEmpty, !(f.contains(.studentFinding) || f.contains(.studyingMark) || f.contains(.studentStatus)) {
            let age = PersonKey.age(r.key, on: day)
            for rule in ageRules where rule.range.contains(age) { applicable |= rule.mask }
        }
        return applicable
    }

    /// The names of the requirements in a mask.
    public func requirementNames(_ mask: UInt8) -> [String] {
        settings.eligibility.requirements.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element.name)
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
