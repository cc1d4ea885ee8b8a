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

        /// The batch's records, each with its person key (0: not a person stream), fact (nil: not folded) and
        /// person number (-1: none); the record the fold must stop at, if one could not be read.
        public struct Output: Sendable {
            var keys: [UInt64]
            var numbers: [Int32]
            var facts: [PersonFact?]
            var failure: (index: Int, reason: String)?
        }

        /// Decodes and numbers a batch, taking records exactly as ``RegistryFold/apply(_:)-(RecordViews)`` does
        /// (after the position, admitted by the cut-off, a person stream, a person fact); a person first seen gets
        /// the next number. Stops at a record that is not a readable registry event.
        public func stage(_ records: RecordViews) -> Output {
            let n = records.count
            var out = Output(keys: [UInt64](repeating: 0, count: n), numbers: [Int32](repeating: -1, count: n),
                             facts: [PersonFact?](repeating: nil, count: n))
            guard !stopped else { return out }
            // The index and position as locals for the loop (a class's stored properties are checked for exclusive
            // access at every use), swapped rather than copied so the index stays uniquely referenced.
            var index = PersonIndex(capacity: 0), position = self.position
            swap(&index, &self.index)
            defer {
                swap(&index, &self.index)
                self.position = position
            }
            let run = RegistryFold.prefetchRun
            var start = 0
            while start < n {
                let end = min(n, start + run)
                for j in start..<end {
                    let key = PersonKey.key(streamBytes: records[records.startIndex + j].streamBytes) ?? 0
                    out.keys[j] = key
                    if key != 0 { index.prefetch(key) }
                }
                for j in start..<end {
                    let record = records[records.startIndex + j]
                    guard cutoff.take(record, advancing: &position), out.keys[j] != 0 else { continue }
                    let fact: PersonFact?
                    do {
                        fact = try PersonFact.decode(record)
                    } catch {
                        out.failure = (j, "\(error)")
                        stopped = true
                        return out
                    }
                    guard let fact else { continue }
                    out.facts[j] = fact
                    out.numbers[j] = index.findOrInsert(out.keys[j], next: Int32(index.count)).value
                }
                start = end
            }
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
    /// run ahead (their numbers are known), then each fact folded in order, a person first seen appended.
    public mutating func apply(_ records: RecordViews, staged: PersonNumbering.Output) throws {
        let run = Self.prefetchRun
        let n = records.count
        var start = 0
        while start < n {
            let end = min(n, start + run)
            for j in start..<end { persons.prefetch(Int(staged.numbers[j])) }  // a person first seen: ignored
            cases.withUnsafeBufferPointer { cases in
                for j in start..<end where staged.numbers[j] >= 0 && Int(staged.numbers[j]) < persons.count {
                    let c = Int(persons[Int(staged.numbers[j])].openCase)
                    if c >= 0, c < cases.count { cprefetch_read(cases.baseAddress! + c) }
                }
            }
            for j in start..<end {
                let record = records[records.startIndex + j]
                let at = record.position
                guard cutoff.take(record, advancing: &position), staged.keys[j] != 0 else { continue }
                if let failure = staged.failure, failure.index == j { throw ProjectionError(position: at, reason: failure.reason) }
                guard let fact = staged.facts[j] else { continue }
                fold(fact, key: staged.keys[j], effective: record.effectiveTime.microsecondsSinceEpoch, position: at,
                     number: staged.numbers[j])
            }
            start = end
        }
    }
}
