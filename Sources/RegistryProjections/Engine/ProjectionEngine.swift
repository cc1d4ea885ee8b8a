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

    /// The two-stage fold: the stage prepares batch n + 1 in a task of its own while this task folds batch n (and
    /// the reader reads batch n + 2). Every batch staged is folded before an error is thrown, so the projection
    /// and the stage's state agree whatever stops the replay: a read failure or cancellation is thrown after the
    /// batch before it is folded, as a one-stage replay does; a record the stage could not read stops the staging,
    /// and the fold throws at it.
    static func foldInStages<S: EventStore, P: StagedProjection>(
        _ projection: inout P, _ batches: LogReader<S>, folded: (Int, LogPosition) -> Void
    ) async throws {
        let stage = projection.beginStaging()
        defer { projection.endStaging(stage) }
        var pending: (batch: EventBatch, staged: Task<P.Stage.Output, Never>)?
        var failure: (any Error)?
        do {
            for try await batch in batches {
                guard let previous = pending else {
                    pending = (batch, Task { batch.withRecords { stage.stage($0) } })
                    continue
                }
                let staged = await previous.staged.value
                pending = stage.stopped ? nil : (batch, Task { batch.withRecords { stage.stage($0) } })
                do {
                    try previous.batch.withRecords { try projection.apply($0, staged: staged) }
                } catch {
                    if let p = pending { _ = await p.staged.value }  // not reached: only a stopped stage throws
                    pending = nil
                    throw error
                }
                folded(previous.batch.count, projection.position)
                if pending == nil { break }
            }
        } catch {
            failure = error
        }
        if let p = pending {
            let staged = await p.staged.value
            try p.batch.withRecords { try projection.apply($0, staged: staged) }
            folded(p.batch.count, projection.position)
        }
        if let failure { throw failure }
    }
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
