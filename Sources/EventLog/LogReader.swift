/// Batches of records in global order: a bounded read of the log (``EventStore/readAll(from:filter:batchSize:)``)
/// or a catch-up subscription that then follows live appends (``EventStore/subscribe(from:filter:batchSize:)``).
///
/// Memory stays flat: at most the current batch and one read ahead.
public struct LogReader<Store: EventStore>: AsyncSequence, Sendable {
    public typealias Element = EventBatch
    public typealias Failure = any Error

    let store: Store
    let from: LogPosition
    let filter: LogFilter
    let batchSize: Int
    let follow: Bool

    public func makeAsyncIterator() -> Iterator {
        Iterator(store: store, next: Swift.max(from, 1), filter: filter, batchSize: Swift.max(batchSize, 1), follow: follow)
    }

    /// Pulls batches; the next read starts as soon as a batch is handed out.
    public struct Iterator: AsyncIteratorProtocol {
        let store: Store
        var next: LogPosition
        let filter: LogFilter
        let batchSize: Int
        let follow: Bool
        var end: LogPosition?  // the head when a bounded read started
        var ahead: Task<Fetched, any Error>?
        /// For a store whose reads do not check the chain, on an unfiltered read: the chain hash of the record
        /// before `next`, and the failure found in the last batch (thrown by the next call).
        var chain: RecordHash?
        var broken: EventLogError?

        init(store: Store, next: LogPosition, filter: LogFilter, batchSize: Int, follow: Bool) {
            self.store = store
            self.next = next
            self.filter = filter
            self.batchSize = batchSize
            self.follow = follow
        }

        /// A batch read ahead, with the chain hash after it and the broken link found in it, if any.
        struct Fetched: Sendable {
            var batch: EventBatch
            var chain: RecordHash?
            var failure: EventLogError?
        }

        /// Reads (and, for a store whose reads do not check the chain, checks) the next batch in a task of its
        /// own, so the hashing overlaps the caller's work on the previous batch.
        private func startRead(from position: LogPosition) -> Task<Fetched, any Error> {
            let store = self.store, filter = self.filter, size = self.batchSize, chain = self.chain
            let check = !store.checksChainOnRead && filter.category == nil
            return Task {
                let batch = try await store.read(from: position, filter: filter, maxCount: size)
                guard check, !batch.isEmpty else { return Fetched(batch: batch, chain: chain) }
                return try await Self.checkChain(batch, after: chain, store: store)
            }
        }

        public mutating func next() async throws -> EventBatch? {
            if let broken { throw broken }
            if !follow, end == nil { end = try await store.headPosition() }
            while true {
                try Task.checkCancellation()
                if let end, next > end { ahead?.cancel(); return nil }
                let pending = ahead ?? startRead(from: next)
                ahead = nil
                let fetched = try await withTaskCancellationHandler {
                    try await pending.value
                } onCancel: {
                    pending.cancel()
                }
                var batch = fetched.batch
                chain = fetched.chain
                if let failure = fetched.failure {
                    // Hand out the records before the broken link; the next call throws.
                    if batch.isEmpty { throw failure }
                    broken = failure
                }
                if let end, batch.nextPosition > end + 1 {
                    // A bounded read stops at the head it started with.
                    batch = Self.truncate(batch, before: end + 1)
                }
                next = Swift.max(next, batch.nextPosition)
                if !batch.isEmpty {
                    if broken == nil, end.map({ next <= $0 }) ?? true { ahead = startRead(from: next) }
                    return batch
                }
                if follow {
                    // Caught up: sleep until something commits beyond what we have seen.
                    try await store.waitForAppend(after: next - 1)
                }
            }
        }

        /// Checks each record's chain hash against its predecessor's (the first against `previous`, or the stored
        /// hash of the record before it); a batch that meets a broken link is cut before it, with the failure.
        static func checkChain(_ batch: EventBatch, after previous: RecordHash?, store: Store) async throws -> Fetched {
            let first = batch.withRecords { $0.first?.position } ?? batch.nextPosition
            var chain: RecordHash
            if let previous {
                chain = previous
            } else if first == 1 {
                chain = .genesis
            } else {
                let before = try await store.read(from: first - 1, filter: .all, maxCount: 1)
                guard let stored = before.withRecords({ views in views.first.flatMap { $0.position == first - 1 ? $0.hash : nil } }) else {
                    throw EventLogError(.hashChainBroken, "the record before position \(first) cannot be read", position: first - 1)
                }
                chain = stored
            }
            let intact = batch.withRecords { views -> Int in
                // Two records at a time (interleaved hashing): the second against the first's stored hash, which is
                // its predecessor's once the first checks out.
                var i = 0
                while i < views.count {
                    let view = views[views.startIndex + i]
                    if i + 1 < views.count {
                        let next = views[views.startIndex + i + 1]
                        let (first, second) = RecordHash.chaining(chain, body: view.body, view.hash, body: next.body)
                        guard first == view.hash else { return i }
                        guard second == next.hash else { return i + 1 }
                        chain = second
                        i += 2
                    } else {
                        let computed = RecordHash.chaining(chain, body: view.body)
                        guard computed == view.hash else { return i }
                        chain = computed
                        i += 1
                    }
                }
                return views.count
            }
            guard intact < batch.count else { return Fetched(batch: batch, chain: chain) }
            let position = first + LogPosition(intact)
            let failure = EventLogError(
                .hashChainBroken, "the record's chain hash does not follow from the previous record: it was altered", position: position)
            return Fetched(batch: truncate(batch, before: position), chain: chain, failure: failure)
        }

        static func truncate(_ batch: EventBatch, before limit: LogPosition) -> EventBatch {
            let kept = batch.withRecords { views in views.prefix { $0.position < limit }.count }
            return EventBatch(storage: batch.storage, spans: Array(batch.spans.prefix(kept)), nextPosition: limit)
        }
    }
}

