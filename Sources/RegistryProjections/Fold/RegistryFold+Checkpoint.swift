import EventLog
import RegistryDomain

extension RegistryFold: CheckpointCodable {
    static let checkpointVersion: UInt32 = 2

    public func checkpointBytes() -> [UInt8] {
        precondition(cutoff == .none, "only a model of the whole log is checkpointed")
        var w: [UInt8] = []
        w.reserveCapacity(persons.count * 64 + 1024)
        w.appendLE(Self.checkpointVersion)
        w.appendLE(settings.fingerprint)
        w.appendLE(position)
        w.appendLE(UInt64(eventsFolded))
        w.appendLE(UInt64(persons.count))
        for p in persons {
            w.appendLE(p.key); w.appendLE(p.standing.hukou); w.appendLE(p.standing.residence); w.appendLE(p.standing.agency)
            w.appendLE(p.firstSeenDay); w.appendLE(p.standing.coverage); w.appendLE(p.standing.flags.rawValue); w.appendLE(p.lastDay)
            w.appendLE(p.openCase); w.appendLE(p.lastTask)
        }
        w.appendLE(UInt64(interruptedSince.count))
        for (k, v) in interruptedSince.sorted(by: { $0.key < $1.key }) { w.appendLE(k); w.appendLE(v) }
        w.appendLE(UInt64(tasks.count))
        for t in tasks {
            w.appendLE(t.person); w.appendLE(t.id.high); w.appendLE(t.id.low); w.appendLE(t.division)
            w.appendLE(t.dispatchedAt); w.appendLE(t.changedAt); w.append(t.state.rawValue); w.appendLE(t.rejections); w.appendLE(t.previous)
        }
        w.appendLE(UInt64(cases.count))
        for c in cases {
            w.appendLE(c.person); w.appendLE(c.opened); w.appendLE(c.openedPosition); w.appendLE(c.area); w.append(c.unmet)
            w.appendLE(c.cleared); w.appendLE(c.clearedPosition); w.append(c.reason.rawValue); w.appendLE(c.followUps); w.appendLE(c.lastFollowUp)
            w.appendLE(c.moves)
        }
        w.appendLE(UInt64(months.count))
        for (k, m) in months.sorted(by: { $0.key < $1.key }) {
            w.appendLE(k); w.appendLE(m.newFound); w.appendLE(m.cleared); w.appendLE(m.movedIn); w.appendLE(m.movedOut)
            w.appendLE(m.activeDelta); w.appendLE(m.interruptedDelta)
        }
        return w
    }

    public init?(checkpoint bytes: UnsafeRawBufferPointer, settings: ProjectionSettings) {
        self.init(settings: settings)
        var r = ByteReader(bytes)
        guard r.u32() == Self.checkpointVersion, r.u64() == settings.fingerprint, let position = r.u64(), let folded = r.u64() else { return nil }
        guard let n = r.u64(), n <= UInt64(bytes.count / 60) else { return nil }  // 60 bytes a person
        var index = PersonIndex(capacity: Int(n))
        persons.reserveCapacity(Int(n))
        for p in 0..<Int(n) {
            guard let key = r.u64(), let hukou = r.u64(), let residence = r.u64(), let agency = r.u64(), let firstSeen = r.u32(),
                  let coverage = r.u64(), let flags = r.u32(), let lastDay = r.u32(), let openCase = r.u32(), let lastTask = r.u32(), key != 0,
                  index.findOrInsert(key, next: Int32(p)).inserted
            else { return nil }
            var record = PersonRecord(key: key, firstSeenDay: Int32(bitPattern: firstSeen), day: Int(Int32(bitPattern: lastDay)))
            record.lastTask = Int32(bitPattern: lastTask)
            record.standing = PersonStanding(hukou: hukou, residence: residence, agency: agency, coverage: coverage,
                                             flags: PersonStanding.Flags(rawValue: flags))
            record.openCase = Int32(bitPattern: openCase)
            persons.append(record)
        }
        self.index = index
        self.position = position
        self.eventsFolded = Int(folded)
        guard let count = r.u64() else { return nil }
        for _ in 0..<count {
            guard let k = r.u64(), let v = r.u64() else { return nil }
            interruptedSince[k] = Int64(bitPattern: v)
        }
        guard let taskCount = r.u64() else { return nil }
        for _ in 0..<taskCount {
            guard let p = r.u32(), let hi = r.u64(), let lo = r.u64(), let division = r.u64(), let at = r.u64(), let changed = r.u64(),
                  let state = r.u8().flatMap(SurveyTask.State.init(rawValue:)), let rejections = r.u16(), let previous = r.u32(),
                  Int32(bitPattern: p) >= 0, Int(Int32(bitPattern: p)) < persons.count,
                  Int32(bitPattern: previous) < Int32(tasks.count)  // a chain only points back
            else { return nil }
            tasks.append(SurveyTaskRecord(id: UUIDKey(high: hi, low: lo), person: Int32(bitPattern: p), division: division,
                                          dispatchedAt: Int64(bitPattern: at), changedAt: Int64(bitPattern: changed), state: state,
                                          rejections: rejections, previous: Int32(bitPattern: previous)))
        }
        guard persons.allSatisfy({ Int($0.lastTask) < tasks.count }) else { return nil }
        guard let caseCount = r.u64() else { return nil }
        cases.reserveCapacity(Int(min(caseCount, UInt64(bytes.count))))
        for _ in 0..<caseCount {
            guard let p = r.u32(), let opened = r.u64(), let openedAt = r.u64(), let area = r.u64(), let unmet = r.u8(),
                  let cleared = r.u64(), let clearedAt = r.u64(), let reason = r.u8().flatMap(ClearReason.init(rawValue:)),
                  let followUps = r.u32(), let last = r.u64(), let moves = r.u32()
            else { return nil }
            cases.append(LedgerCase(person: Int32(bitPattern: p), followUps: Int32(bitPattern: followUps), lastFollowUp: Int64(bitPattern: last),
                                    area: area, unmet: unmet, reason: reason, moves: Int32(bitPattern: moves),
                                    opened: Int64(bitPattern: opened), openedPosition: openedAt, cleared: Int64(bitPattern: cleared),
                                    clearedPosition: clearedAt))
        }
        guard let monthCount = r.u64() else { return nil }
        for _ in 0..<monthCount {
            guard let k = r.u64(), let a = r.u32(), let b = r.u32(), let mi = r.u32(), let mo = r.u32(), let c = r.u32(), let d = r.u32()
            else { return nil }
            months[k] = MonthCounters(newFound: Int32(bitPattern: a), cleared: Int32(bitPattern: b), movedIn: Int32(bitPattern: mi),
                                      movedOut: Int32(bitPattern: mo), activeDelta: Int32(bitPattern: c), interruptedDelta: Int32(bitPattern: d))
        }
        guard r.isAtEnd else { return nil }
    }
}
