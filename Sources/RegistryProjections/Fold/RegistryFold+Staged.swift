import CPrefetch
import EventLog
import RegistryDomain

// The fold in two stages, one batch apart, on two cores (`StagedProjection`): the first decodes each record's fact
// and numbers its person (the person index: numbers by first appearance, in log order, exactly as the one-stage
// fold gives them); the second folds the facts into the person records, tasks, cases and counters. Each stage keeps
// one of the two random memory accesses per event (the index slot, the person's record) on its own core.

extension RegistryFold: StagedProjection {
    /// The first stage: what each record of a batch is (its person key, its fact) and the person's number, found
    /// in or added to the person index, which the stage holds for the replay.
    public final class PersonNumbering: ProjectionStage, @unchecked Sendable {
        // Unchecked: the engine calls `stage` from one task at a time, each after the previous one has finished
        // (awaited), and reads `index` back only once the last has finished.
        var index: PersonIndex
        var position: LogPosition
        let cutoff: ReplayCutoff
        public private(set) var stopped = false

        init(index: PersonIndex, position: LogPosition, cutoff: ReplayCutoff) {
            self.index = index
            self.position = position
            self.cutoff = cutoff
        }

        /// What the fold needs of a batch: each fact to fold, in order, with its person's key and number, effective
        /// time and position (the fold does not read the batch's records again: they are cold by then); the
        /// position after the batch; and the record the fold must stop at, if one could not be read.
        public struct Output: Sendable {
            var facts: [StagedFact] = []
            var position: LogPosition
            var failure: (position: LogPosition, reason: String)?
        }

        /// One fact to fold.
        struct StagedFact: Sendable {
            var fact: PersonFact
            var key: UInt64
            var effective: Int64
            var position: LogPosition
            var number: Int32
        }

        /// Decodes and numbers a batch, taking records exactly as ``RegistryFold/apply(_:)-(RecordViews)`` does
        /// (after the position, admitted by the cut-off, a person stream, a person fact); a person first seen gets
        /// the next number. Stops at a record that is not a readable registry event.
        public func stage(_ records: RecordViews) -> Output {
            guard !stopped else { return Output(position: position) }
            // The index and position as locals for the loop (a class's stored properties are checked for exclusive
            // access at every use), swapped rather than copied so the index stays uniquely referenced.
            var index = PersonIndex(capacity: 0), position = self.position
            swap(&index, &self.index)
            defer {
                swap(&index, &self.index)
                self.position = position
            }
            let n = records.count
            var out = Output(position: position)
            out.facts.reserveCapacity(n)
            let run = RegistryFold.prefetchRun
            var keys = [UInt64](repeating: 0, count: run)
            var start = 0
            while start < n {
                let end = min(n, start + run)
                for j in start..<end {
                    let key = PersonKey.key(streamBytes: records[records.startIndex + j].streamBytes) ?? 0
                    keys[j - start] = key
                    if key != 0 { index.prefetch(key) }
                }
                for j in start..<end {
                    let record = records[records.startIndex + j]
                    let key = keys[j - start]
                    guard cutoff.take(record, advancing: &position), key != 0 else { continue }
                    let fact: PersonFact?
                    do {
                        fact = try PersonFact.decode(record)
                    } catch {
                        out.failure = (record.position, "\(error)")
                        out.position = position
                        stopped = true
                        return out
                    }
                    guard let fact else { continue }
                    let number = index.findOrInsert(key, next: Int32(index.count)).value
                    out.facts.append(StagedFact(fact: fact, key: key, effective: record.effectiveTime.microsecondsSinceEpoch,
                                                position: record.position, number: number))
                }
                start = end
            }
            out.position = position
            return out
        }
    }

    public mutating func beginStaging() -> PersonNumbering {
        let stage = PersonNumbering(index: index, position: position, cutoff: cutoff)
        index = PersonIndex(capacity: 0)  // the stage's copy is then the only one: inserting does not copy it
        return stage
    }

    public mutating func endStaging(_ stage: PersonNumbering) {
        index = stage.index
        stage.index = PersonIndex(capacity: 0)
        assert(index.count == persons.count, "every person numbered was folded")
    }

    /// Folds a batch the first stage decoded and numbered: the persons' records and open cases are prefetched a
    /// run ahead (their numbers are known), then each fact folded in order, a person first seen appended. The
    /// records themselves are not read again.
    public mutating func apply(_ records: RecordViews, staged: PersonNumbering.Output) throws {
        let run = Self.prefetchRun
        let n = staged.facts.count
        staged.facts.withUnsafeBufferPointer { facts in
            var start = 0
            while start < n {
                let end = min(n, start + run)
                for j in start..<end { persons.prefetch(Int(facts[j].number)) }  // a person first seen: ignored
                cases.withUnsafeBufferPointer { cases in
                    for j in start..<end where Int(facts[j].number) < persons.count {
                        let c = Int(persons[Int(facts[j].number)].openCase)
                        if c >= 0, c < cases.count { cprefetch_read(cases.baseAddress! + c) }
                    }
                }
                for j in start..<end {
                    let f = facts[j]
                    fold(f.fact, key: f.key, effective: f.effective, position: f.position, number: f.number)
                }
                start = end
            }
        }
        // The stage took the records from this fold's position on, as `apply(_:)` does (the fold itself never reads
        // `position`): where it stopped is where this fold is.
        position = staged.position
        if let failure = staged.failure {
            throw ProjectionError(position: failure.position, reason: failure.reason)
        }
    }
}
