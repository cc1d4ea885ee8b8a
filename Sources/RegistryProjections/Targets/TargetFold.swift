import Foundation
import EventLog
import RegistryDomain

/// The targets' projection: every `TargetSet` (revisions kept in order) and the monthly figures targets are
/// assessed against, per area, insurance type and month: contributors, active and interrupted enrolments (as
/// changes, summed to month ends), new enrolments and interruptions.
///
/// Separate from ``RegistryFold`` (pair them with ``ProjectionPair``): the rate targets (coverage, registration) take
/// their actual figure from the coverage view; everything else is counted here. Each person's standing is kept to
/// see what a fact changed; the figures follow the standing, so they agree with the coverage view.
public struct TargetFold: Projection, Sendable, Equatable {
    /// Area basis and local time (the basis decides where a person counts).
    public let settings: ProjectionSettings
    /// The replay cut-off.
    public let cutoff: ReplayCutoff
    /// The last position folded.
    public internal(set) var position: LogPosition = 0

    /// One setting of a target.
    public struct Revision: Sendable, Hashable, Codable {
        /// The value.
        public var value: Double
        /// From when it applies (the fact's effective time).
        public var effective: Timestamp
        /// Where it is in the log.
        public var position: LogPosition
        /// Its note.
        public var note: String
    }

    /// The counters of one area (street level), type (0 = all types) and month.
    struct Counters: Hashable, Sendable {
        /// Changes of persons paying, of active and of interrupted enrolments (sum to month-end levels).
        var contributors: Int32 = 0
        var active: Int32 = 0
        var interrupted: Int32 = 0
        /// Events in the month.
        var newEnrolments: Int32 = 0
        var interruptions: Int32 = 0
    }

    struct CounterKey: Hashable, Sendable {
        var area: UInt64
        var type: UInt8
        var month: Int32
    }

    var targets: [TargetSet.Key: [Revision]] = [:]
    var standings: [UInt64: PersonStanding] = [:]
    var counters: [CounterKey: Counters] = [:]

    /// An empty projection.
    public init(settings: ProjectionSettings = ProjectionSettings(areaBasis: .insuringAgency), cutoff: ReplayCutoff = .none) {
        self.settings = settings
        self.cutoff = cutoff
    }

    /// Folds a batch; records at or before ``position`` are skipped.
    public mutating func apply(_ records: RecordViews) throws {
        for r in records { try apply(r) }
    }

    /// Folds one record.
    public mutating func apply(_ record: RecordView) throws {
        let at = record.position
        guard cutoff.take(record, advancing: &position) else { return }
        do {
            if let key = PersonKey.key(streamBytes: record.streamBytes) {
                guard let fact = try PersonFact.decode(record) else { return }
                var s = standings[key] ?? PersonStanding()
                let before = s
                s.apply(fact)
                standings[key] = s
                if before != s { count(before: before, after: s, effective: record.effectiveTime.microsecondsSinceEpoch) }
            } else if record.streamBytes.starts(with: Self.targetPrefix) {
                guard case .targetSet(let t) = try RegistryEvent.decode(record) else { return }
                targets[t.key, default: []].append(Revision(value: t.value, effective: record.effectiveTime, position: at, note: t.note))
            }
        } catch {
            throw ProjectionError(position: at, reason: "\(error)")
        }
    }

    static let targetPrefix = Array("target-".utf8)

    /// The month index (year × 12 + month − 1) of a time, in local time.
    func monthIndex(_ micros: Int64) -> Int32 {
        let ymd = LocalCalendar.yyyymmdd(micros, offset: settings.utcOffsetSeconds)
        return Int32(ymd / 10_000 * 12 + ymd / 100 % 100 - 1)
    }

    /// Takes a person's contribution to the levels out of the old area and into the new one, and counts the events.
    mutating func count(before: PersonStanding, after: PersonStanding, effective: Int64) {
        let month = monthIndex(effective)
        let from = Area.truncate(before.area(settings.areaBasis), to: .street), to = Area.truncate(after.area(settings.areaBasis), to: .street)
        for t in UInt8(0)...7 {
            let b = Self.levels(before, type: t), a = Self.levels(after, type: t)
            if from == to {
                guard b != a else { continue }
                counters[CounterKey(area: to, type: t, month: month), default: Counters()].add(a, minus: b)
            } else {
                if b != (0, 0, 0) { counters[CounterKey(area: from, type: t, month: month), default: Counters()].add((0, 0, 0), minus: b) }
                if a != (0, 0, 0) { counters[CounterKey(area: to, type: t, month: month), default: Counters()].add(a, minus: (0, 0, 0)) }
            }
        }
        for type in InsuranceType.allCases {
            let was = before.status(type), now = after.status(type)
            let wasActive = was == .enrolled || was == .interrupted, isActive = now == .enrolled || now == .interrupted
            // A new enrolment: the type becomes active from not held (enrolment, transfer in), not a resumption.
            if !wasActive, isActive {
                counters[CounterKey(area: to, type: type.rawValue, month: month), default: Counters()].newEnrolments += 1
                counters[CounterKey(area: to, type: 0, month: month), default: Counters()].newEnrolments += 1
            }
            if was != .interrupted, now == .interrupted {
                counters[CounterKey(area: to, type: type.rawValue, month: month), default: Counters()].interruptions += 1
                counters[CounterKey(area: to, type: 0, month: month), default: Counters()].interruptions += 1
            }
        }
    }

    /// (paying person, active enrolments, interrupted enrolments) of a standing for one type (0: all types; a
    /// person pays in all types when some enrolment is active and none interrupted, as in the coverage view).
    static func levels(_ s: PersonStanding, type t: UInt8) -> (Int32, Int32, Int32) {
        if t == 0 {
            let active = Int32(s.activeTypes.nonzeroBitCount), interrupted = Int32(s.interruptedTypes.nonzeroBitCount)
            return (active > 0 && interrupted == 0 ? 1 : 0, active, interrupted)
        }
        switch s.status(InsuranceType(rawValue: t)!) {
        case .enrolled: return (1, 1, 0)
        case .interrupted: return (0, 1, 1)
        default: return (0, 0, 0)
        }
    }
}

extension TargetFold.Counters {
    mutating func add(_ a: (Int32, Int32, Int32), minus b: (Int32, Int32, Int32)) {
        contributors += a.0 - b.0
        active += a.1 - b.1
        interrupted += a.2 - b.2
    }
}
