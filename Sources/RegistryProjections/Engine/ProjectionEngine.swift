import EventLog
import Foundation
import Logging

/// Drives projections from a store: rebuild from the start, catch up from a checkpoint, or follow live.
public enum ProjectionEngine {
    /// Folds every record after the projection's position up to the head as of the start.
    ///
    /// One pass feeds the projection (pair several with ``ProjectionPair``); batches are read ahead while the
    /// previous one is folded.
    /// - Parameters:
    ///   - projection: the projection; a fresh one rebuilds from position 0, a restored one resumes.
    ///   - store: the store.
    ///   - batchSize: records per read.
    ///   - progress: called after each batch.
    ///   - logger: where the replay's progress goes (every 10 s at `info`, and its end); the task-local
    ///     `Logger.current` by default.
    /// - Returns: the number of records read.
    @discardableResult
    public static func catchUp<S: EventStore, P: Projection>(
        _ projection: inout P, from store: S, batchSize: Int = 16384,
        progress: ((ProjectionProgress) -> Void)? = nil, logger: Logger = Logger.current
    ) async throws -> Int {
        var report = try await ReplayReport(store: store, from: projection.position, progress: progress, logger: logger)
        for try await batch in store.readAll(from: projection.position + 1, batchSize: batchSize) {
            try batch.withRecords { try projection.apply($0) }
            report.folded(batch.count, position: projection.position)
        }
        return report.done(position: projection.position)
    }

    /// Folds every record after the projection's position up to the head as of the start, in two stages on two
    /// cores when there are two (``StagedProjection``): the same result as folding each batch whole.
    ///
    /// Parameters and result as for a ``Projection``; on a machine with one core the batches are folded whole.
    @discardableResult
    public static func catchUp<S: EventStore, P: StagedProjection>(
        _ projection: inout P, from store: S, batchSize: Int = 16384,
        progress: ((ProjectionProgress) -> Void)? = nil, logger: Logger = Logger.current
    ) async throws -> Int {
        try await catchUp(&projection, from: store, batchSize: batchSize, staged: ProcessInfo.processInfo.activeProcessorCount > 1,
                          progress: progress, logger: logger)
    }

    /// Folds every record after the projection's position up to the head as of the start, in two stages on two
    /// cores (`staged`), or each batch whole on one (as on a machine with one core; for comparisons).
    @discardableResult
    public static func catchUp<S: EventStore, P: StagedProjection>(
        _ projection: inout P, from store: S, batchSize: Int = 16384, staged: Bool,
        progress: ((ProjectionProgress) -> Void)? = nil, logger: Logger = Logger.current
    ) async throws -> Int {
        var report = try await ReplayReport(store: store, from: projection.position, progress: progress, logger: logger)
        let batches = store.readAll(from: projection.position + 1, batchSize: batchSize)
        if staged {
            try await foldInStages(&projection, batches) { report.folded($0, position: $1) }
        } else {
            for try await batch in batches {
                try batch.withRecords { try projection.apply($0) }
                report.folded(batch.count, position: projection.position)
            }
        }
        return report.done(position: projection.position)
    }

    /// Builds a projection from position 0.
    public static func rebuild<S: EventStore, P: Projection>(
        _ make: @autoclosure () -> P, from store: S, batchSize: Int = 16384,
        progress: ((ProjectionProgress) -> Void)? = nil
    ) async throws -> P {
        var projection = make()
        try await catchUp(&projection, from: store, batchSize: batchSize, progress: progress)
        return projection
    }

    /// Builds a projection from position 0, in two stages on two cores when there are two.
    public static func rebuild<S: EventStore, P: StagedProjection>(
        _ make: @autoclosure () -> P, from store: S, batchSize: Int = 16384,
        progress: ((ProjectionProgress) -> Void)? = nil
    ) async throws -> P {
        var projection = make()
        try await catchUp(&projection, from: store, batchSize: batchSize, progress: progress)
        return projection
    }

    /// The two-stage fold: a producer task takes the batches as the reader hands them out and starts the stage on
    /// each (in a task of its own, after the stage has finished the batch before), then queues the batch; this task
    /// folds the queued batches in order with what the stage prepared. Up to ``stagedBatchesAhead`` batches wait in
    /// the queue, so the reader, the stage and the fold each go on with the next batch as soon as theirs is done
    /// rather than in lock-step (three jobs in lock-step on two cores leave one idle part of the time).
    ///
    /// Every batch queued before an error is folded before it is thrown, so the projection and the stage's state
    /// agree whatever stops the replay: a read failure or cancellation is thrown after the batches before it are
    /// folded, as a one-stage replay does; a record the stage could not read stops the staging (later batches are
    /// staged as nothing), and the fold throws at it. The stage's state goes back to the projection only once
    /// every staging task has finished.
    static func foldInStages<S: EventStore, P: StagedProjection>(
        _ projection: inout P, _ batches: LogReader<S>, folded: (Int, LogPosition) -> Void
    ) async throws {
        let stage = projection.beginStaging()
        defer { projection.endStaging(stage) }
        let queue = BatchHandOff<StagedBatch<P.Stage.Output>>(capacity: stagedBatchesAhead)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var previous: Task<P.Stage.Output, Never>?
                do {
                    for try await batch in batches {
                        let before = previous
                        let staging = Task {
                            _ = await before?.value
                            return batch.withRecords { stage.stage($0) }
                        }
                        previous = staging
                        guard await queue.put(StagedBatch(batch: batch, staged: staging)) else { break }
                    }
                    queue.finish(throwing: nil)
                } catch {
                    queue.finish(throwing: error)
                }
                _ = await previous?.value  // the stage is idle when this task ends
            }
            do {
                while let item = try await queue.take() {
                    let staged = await item.staged.value
                    try item.batch.withRecords { try projection.apply($0, staged: staged) }
                    folded(item.batch.count, projection.position)
                }
            } catch {
                queue.cancel()
                throw error
            }
            try await group.waitForAll()
        }
    }

    /// Batches staged ahead of the fold (each ~4 MB at 16,384 records).
    static let stagedBatchesAhead = 2
}

/// A batch and its staging.
struct StagedBatch<Output: Sendable>: Sendable {
    var batch: EventBatch
    var staged: Task<Output, Never>
}

/// A replay's progress: reported after each batch, logged every 10 s and at the end.
struct ReplayReport {
    let target: LogPosition
    let start = DispatchTime.now().uptimeNanoseconds
    let progress: ((ProjectionProgress) -> Void)?
    let logger: Logger
    var events = 0
    var nextLog = 10.0

    init<S: EventStore>(store: S, from position: LogPosition, progress: ((ProjectionProgress) -> Void)?, logger: Logger) async throws {
        target = try await store.headPosition()
        self.progress = progress
        self.logger = logger
        logger.debug("replay starting", metadata: ["from": "\(position + 1)", "head": "\(target)"])
    }

    mutating func folded(_ count: Int, position: LogPosition) {
        events += count
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        progress?(ProjectionProgress(events: events, position: position, target: target, elapsed: elapsed))
        if elapsed >= nextLog {
            nextLog += 10
            logger.info("replay in progress", metadata: ["events": "\(events)", "position": "\(position)", "head": "\(target)"])
        }
    }

    func done(position: LogPosition) -> Int {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        logger.info("replay done", metadata: [
            "events": "\(events)", "position": "\(position)", "seconds": "\(String(format: "%.3f", seconds))",
        ])
        return events
    }
}
