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
        let target = try await store.headPosition()
        let start = DispatchTime.now().uptimeNanoseconds
        var events = 0
        var nextLog = 10.0
        logger.debug("replay starting", metadata: ["from": "\(projection.position + 1)", "head": "\(target)"])
        for try await batch in store.readAll(from: projection.position + 1, batchSize: batchSize) {
            try batch.withRecords { try projection.apply($0) }
            events += batch.count
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            progress?(ProjectionProgress(events: events, position: projection.position, target: target, elapsed: elapsed))
            if elapsed >= nextLog {
                nextLog += 10
                logger.info("replay in progress", metadata: [
                    "events": "\(events)", "position": "\(projection.position)", "head": "\(target)",
                ])
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        logger.info("replay done", metadata: [
            "events": "\(events)", "position": "\(projection.position)",
            "seconds": "\(String(format: "%.3f", seconds))",
        ])
        return events
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
}
