import EventLog
import RegistryDomain

extension RegistryFold: CheckpointCodable {
    static let checkpointVersion: UInt32 = 3

    public func checkpointBytes() -> [UInt8] {
        withCheckpointPieces { pieces in
            var all: [UInt8] = []
            all.reserveCapacity(pieces.reduce(0) { $0 + $1.count })
            for piece in pieces { all.append(contentsOf: piece) }
            return all
        }
    }

    /// The head (version, settings, position, layout, counts), the person records and the index slots as they lie in
    /// memory, then tasks, cases and months field by field: the two large blocks are written from the fold's own
    /// buffers, never copied.
    public func withCheckpointPieces<R>(_ body: ([UnsafeRawBufferPointer]) throws -> R) rethrows -> R {
        precondition(cutoff == .none, "only a model of the whole log is checkpointed")
        var w: [UInt8] = []
        w.appendLE(Self.checkpointVersion)
        w.appendLE(settings.fingerprint)
        w.appendLE(position)
        w.appendLE(UInt64(eventsFolded))
        w.appendLE(Self.recordLayout)
        // The person records and their index as they lie in memory: one copy each way, where reading them field by
        // field and inserting every key again cost about a second per two million persons.
        w.appendLE(UInt64(persons.count))
        w.appendLE(UInt64(index.capacity))
        var rest: [UInt8] = []
        rest.reserveCapacity(interruptedSince.count * 16 + tasks.count * 51 + cases.count * 62 + months.count * 32 + 64)
        rest.appendLE(UInt64(interruptedSince.count))
        for (k, v) in interruptedSince.sorted(by: { $0.key < $1.key }) { rest.appendLE(k); rest.appendLE(v) }
        rest.appendLE(UInt64(tasks.count))
        for t in tasks {
            rest.appendLE(t.person); rest.appendLE(t.id.high); rest.appendLE(t.id.low); rest.appendLE(t.division)
            rest.appendLE(t.dispatchedAt); rest.appendLE(t.changedAt); rest.append(t.state.rawValue); rest.appendLE(t.rejections); rest.appendLE(t.previous)
        }
        rest.appendLE(UInt64(cases.count))
        for c in cases {
            rest.appendLE(c.person); rest.appendLE(c.opened); rest.appendLE(c.openedPosition); rest.appendLE(c.area); rest.append(c.unmet)
            rest.appendLE(c.cleared); rest.appendLE(c.clearedPosition); rest.append(c.reason.rawValue); rest.appendLE(c.followUps); rest.appendLE(c.lastFollowUp)
            rest.appendLE(c.moves)
        }
        rest.appendLE(UInt64(months.count))
        for (k, m) in months.sorted(by: { $0.key < $1.key }) {
            rest.appendLE(k); rest.appendLE(m.newFound); rest.appendLE(m.cleared); rest.appendLE(m.movedIn); rest.appendLE(m.movedOut)
            rest.appendLE(m.activeDelta); rest.appendLE(m.interruptedDelta)
        }
        return try w.withUnsafeBytes { head in
            try persons.withUnsafeBytes { records in
                try index.withUnsafeSlotBytes { slots in
                    try rest.withUnsafeBytes { rest in try body([head, records, slots, rest]) }
                }
            }
        }
    }

    public init?(checkpoint bytes: UnsafeRawBufferPointer, settings: ProjectionSettings) {
        self.init(settings: settings)
        var r = ByteReader(bytes)
        guard r.u32() == Self.checkpointVersion, r.u64() == settings.fingerprint, let position = r.u64(), let folded = r.u64() else { return nil }
        guard r.u64() == Self.recordLayout, let n = r.u64().map(Int.init(truncatingIfNeeded:)), let slots = r.u64().map(Int.init(truncatingIfNeeded:)),
              n >= 0, slots >= 0, n <= bytes.count / MemoryLayout<PersonRecord>.stride,
              slots <= bytes.count / MemoryLayout<PersonIndex.Slot>.stride,
              let personBytes = r.bytes(n * MemoryLayout<PersonRecord>.stride),
              let slotBytes = r.bytes(slots * MemoryLayout<PersonIndex.Slot>.stride)
        else { return nil }
        // Every bit pattern of a record is a value; what is checked is that it is one the fold could have made.
        // Room to grow, so the first new person or case after a restore does not copy them all to a buffer twice as
        // large: untouched room is address space only (the allocator maps it; pages come when written).
        persons = CacheAlignedArray(copying: personBytes, count: n, capacity: 2 * n)
        for p in persons {
            guard p.key != 0, p.standing.isWellFormed else { return nil }
        }
        guard let index = PersonIndex(slotBytes: slotBytes, persons: persons) else { return nil }
        self.index = index
        self.position = position
        self.eventsFolded = Int(folded)
        guard let count = r.u64() else { return nil }
        for _ in 0..<count {
            guard let k = r.u64(), let v = r.u64() else { return nil }
            interruptedSince[k] = Int64(bitPattern: v)
        }
        guard let taskCount = r.u64() else { return nil }
        tasks.reserveCapacity(2 * Int(min(taskCount, UInt64(bytes.count / 51))))  // 51 bytes a task
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
        guard persons.allSatisfy({ $0.lastTask >= -1 && Int($0.lastTask) < tasks.count }) else { return nil }
        guard let caseCount = r.u64() else { return nil }
        cases.reserveCapacity(2 * Int(min(caseCount, UInt64(bytes.count / 62))))  // 62 bytes a case
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
        guard r.isAtEnd,
              persons.allSatisfy({ $0.openCase >= -1 && Int($0.openCase) < cases.count }),
              cases.allSatisfy({ $0.person >= 0 && Int($0.person) < persons.count })
        else { return nil }
    }

    /// The in-memory layout of the records written whole (sizes, strides and field offsets), so a checkpoint written
    /// by a build that lays them out differently is refused rather than misread.
    static let recordLayout: UInt64 = {
        let p = MemoryLayout<PersonRecord>.self, s = MemoryLayout<PersonStanding>.self, slot = MemoryLayout<PersonIndex.Slot>.self
        let figures = [
            p.size, p.stride, p.alignment, p.offset(of: \.key)!, p.offset(of: \.standing)!, p.offset(of: \.firstSeenDay)!,
            p.offset(of: \.lastDay)!, p.offset(of: \.openCase)!, p.offset(of: \.lastTask)!,
            s.size, s.stride, s.offset(of: \.hukou)!, s.offset(of: \.residence)!, s.offset(of: \.agency)!, s.offset(of: \.flags)!,
            slot.size, slot.stride, slot.offset(of: \.key)!, slot.offset(of: \.value)!, slot.offset(of: \.spare)!,
        ]
        return figures.reduce(0xCBF2_9CE4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }()
}
