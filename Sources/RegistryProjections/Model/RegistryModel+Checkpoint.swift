import EventLog
import RegistryDomain

extension RegistryModel: CheckpointCodable {
    static let checkpointVersion: UInt32 = 1

    public func checkpointBytes() -> [UInt8] {
        precondition(cutoff == .none, "only a model of the whole log is checkpointed")
        var w: [UInt8] = []
        w.reserveCapacity(keys.count * 40 + 1024)
        w.appendLE(Self.checkpointVersion)
        w.appendLE(settings.fingerprint)
        w.appendLE(position)
        w.appendLE(UInt64(eventsFolded))
        func array<T: FixedWidthInteger>(_ a: [T]) {
            w.appendLE(UInt64(a.count))
            for v in a { w.appendLE(v) }
        }
        array(keys)
        array(hukou)
        array(residence)
        array(flags)
        array(coverage)
        array(firstSeen)
        array(openCase)
        w.appendLE(UInt64(interruptedSince.count))
        for (k, v) in interruptedSince.sorted(by: { $0.key < $1.key }) { w.appendLE(k); w.appendLE(v) }
        w.appendLE(UInt64(tasks.count))
        for (p, t) in tasks.sorted(by: { $0.key < $1.key }) {
            w.appendLE(p); w.appendLE(t.id.high); w.appendLE(t.id.low); w.appendLE(t.division)
            w.appendLE(t.dispatchedAt); w.appendLE(t.changedAt); w.append(t.state.rawValue); w.appendLE(t.rejections)
        }
        w.appendLE(UInt64(cases.count))
        for c in cases {
            w.appendLE(c.person); w.appendLE(c.opened); w.appendLE(c.openedPosition); w.appendLE(c.area); w.append(c.unmet)
            w.appendLE(c.cleared); w.appendLE(c.clearedPosition); w.append(c.reason.rawValue); w.appendLE(c.followUps); w.appendLE(c.lastFollowUp)
        }
        w.appendLE(UInt64(months.count))
        for (k, m) in months.sorted(by: { $0.key < $1.key }) {
            w.appendLE(k); w.appendLE(m.newFound); w.appendLE(m.cleared); w.appendLE(m.activeDelta); w.appendLE(m.interruptedDelta)
        }
        return w
    }

    public init?(checkpoint bytes: UnsafeRawBufferPointer, settings: ProjectionSettings) {
        self.init(settings: settings)
        var r = ByteReader(bytes)
        guard r.u32() == Self.checkpointVersion, r.u64() == settings.fingerprint, let position = r.u64(), let folded = r.u64() else { return nil }
        func array<T: FixedWidthInteger>(_: T.Type) -> [T]? {
            guard let n = r.u64(), n <= UInt64(bytes.count), let raw = r.bytes(Int(n) * MemoryLayout<T>.size) else { return nil }
            return (0..<Int(n)).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
        }
        guard let keys = array(UInt64.self), let hukou = array(UInt64.self), let residence = array(UInt64.self),
              let flags = array(UInt32.self), let coverage = array(UInt8.self), let firstSeen = array(Int64.self),
              let openCase = array(Int32.self)
        else { return nil }
        let n = keys.count
        guard hukou.count == n, residence.count == n, flags.count == n, coverage.count == n * 8, firstSeen.count == n, openCase.count == n
        else { return nil }
        self.position = position
        self.eventsFolded = Int(folded)
        self.keys = keys
        self.hukou = hukou
        self.residence = residence
        self.flags = flags
        self.coverage = coverage
        self.firstSeen = firstSeen
        self.openCase = openCase
        self.index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($0.element, Int32($0.offset)) })
        guard let count = r.u64() else { return nil }
        for _ in 0..<count {
            guard let k = r.u64(), let v = r.u64() else { return nil }
            interruptedSince[k] = Int64(bitPattern: v)
        }
        guard let taskCount = r.u64() else { return nil }
        for _ in 0..<taskCount {
            guard let p = r.u32(), let hi = r.u64(), let lo = r.u64(), let division = r.u64(), let at = r.u64(), let changed = r.u64(),
                  let state = r.u8().flatMap(TaskState.init(rawValue:)), let rejections = r.u16()
            else { return nil }
            var id = UUIDKey(.init())
            id.high = hi
            id.low = lo
            tasks[Int32(bitPattern: p)] = Task(id: id, division: division, dispatchedAt: Int64(bitPattern: at),
                                               changedAt: Int64(bitPattern: changed), state: state, rejections: rejections)
        }
        guard let caseCount = r.u64() else { return nil }
        cases.reserveCapacity(Int(min(caseCount, UInt64(bytes.count))))
        for _ in 0..<caseCount {
            guard let p = r.u32(), let opened = r.u64(), let openedAt = r.u64(), let area = r.u64(), let unmet = r.u8(),
                  let cleared = r.u64(), let clearedAt = r.u64(), let reason = r.u8().flatMap(ClearReason.init(rawValue:)),
                  let followUps = r.u32(), let last = r.u64()
            else { return nil }
            cases.append(LedgerCase(person: Int32(bitPattern: p), opened: Int64(bitPattern: opened), openedPosition: openedAt, area: area,
                                    unmet: unmet, cleared: Int64(bitPattern: cleared), clearedPosition: clearedAt, reason: reason,
                                    followUps: Int32(bitPattern: followUps), lastFollowUp: Int64(bitPattern: last)))
        }
        guard let monthCount = r.u64() else { return nil }
        for _ in 0..<monthCount {
            guard let k = r.u64(), let a = r.u32(), let b = r.u32(), let c = r.u32(), let d = r.u32() else { return nil }
            months[k] = MonthCounters(newFound: Int32(bitPattern: a), cleared: Int32(bitPattern: b),
                                      activeDelta: Int32(bitPattern: c), interruptedDelta: Int32(bitPattern: d))
        }
        guard r.isAtEnd else { return nil }
    }
}
