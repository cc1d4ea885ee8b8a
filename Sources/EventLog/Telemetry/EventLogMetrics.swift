import CoreMetrics

/// The names of the metrics the stores and live projections report through swift-metrics.
///
/// Every store's metric carries the dimension `store` (`file`, `postgres` or `memory`); a live projection's carries
/// `projection` (the name it was given). Nothing is reported until the host bootstraps a `MetricsSystem` (or passes
/// a factory in the store's options), and no metric carries a stream id or any other personal data.
public enum EventLogMetrics {
    /// Counter: events appended (committed), one increment per call by the number of its events.
    public static let appendedEvents = "eventlog_appended_events_total"
    /// Counter: append calls that failed as a whole (I/O, closed or read-only store).
    public static let failedAppends = "eventlog_append_failures_total"
    /// Timer: the latency of one append call, from the call to its durable commit.
    public static let appendLatency = "eventlog_append_duration"
    /// Recorder: how many append calls one commit (one fsync or one transaction) carried: the group-commit size.
    public static let commitGroupSize = "eventlog_commit_group_size"
    /// Counter: events read by `read(from:filter:maxCount:)` (every replay, subscription and view).
    public static let readEvents = "eventlog_read_events_total"
    /// Counter: batches read.
    public static let readBatches = "eventlog_read_batches_total"
    /// Gauge: how many positions a live projection is behind the head it saw when it started following (its
    /// catch-up; 0 once caught up), recorded after each batch it folds.
    public static let projectionLag = "eventlog_projection_lag_positions"
    /// Gauge: seconds between now and the recorded time of the newest record a live projection folded, after each
    /// batch: its lag in time, while catching up and while following.
    public static let projectionLagSeconds = "eventlog_projection_lag_seconds"
    /// Gauge: the position a live projection has folded.
    public static let projectionPosition = "eventlog_projection_position"
}

/// The metrics one store reports, made once when the store opens (a metric handle per call would cost an
/// allocation on the append path).
package struct StoreInstruments: Sendable {
    package let appendedEvents: Counter
    package let failedAppends: Counter
    package let appendLatency: Timer
    package let commitGroupSize: Recorder
    package let readEvents: Counter
    package let readBatches: Counter

    /// Makes the metrics of one store.
    /// - Parameters:
    ///   - store: the `store` dimension: `file`, `postgres` or `memory`.
    ///   - factory: where the metrics go; the process's `MetricsSystem.factory` when nil.
    package init(store: String, factory: (any MetricsFactory)?) {
        let factory = factory ?? MetricsSystem.factory
        let dimensions = [("store", store)]
        appendedEvents = Counter(label: EventLogMetrics.appendedEvents, dimensions: dimensions, factory: factory)
        failedAppends = Counter(label: EventLogMetrics.failedAppends, dimensions: dimensions, factory: factory)
        appendLatency = Timer(label: EventLogMetrics.appendLatency, dimensions: dimensions, factory: factory)
        commitGroupSize = Recorder(label: EventLogMetrics.commitGroupSize, dimensions: dimensions, factory: factory)
        readEvents = Counter(label: EventLogMetrics.readEvents, dimensions: dimensions, factory: factory)
        readBatches = Counter(label: EventLogMetrics.readBatches, dimensions: dimensions, factory: factory)
    }

    /// Times one append call and counts its events when it commits, or a failure when it throws.
    package func timeAppend(
        _ requests: [StreamAppend], _ body: () async throws -> [Result<AppendResult, EventLogError>]
    ) async throws -> [Result<AppendResult, EventLogError>] {
        let start = ContinuousClock.now
        let results: [Result<AppendResult, EventLogError>]
        do {
            results = try await body()
        } catch {
            failedAppends.increment()
            throw error
        }
        let elapsed = ContinuousClock.now - start
        appendLatency.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        var events = 0
        for (request, result) in zip(requests, results) {
            if case .success = result { events += request.events.count }
        }
        if events > 0 { appendedEvents.increment(by: events) }
        return results
    }

    /// Counts one batch read.
    package func countRead(_ batch: EventBatch) {
        readBatches.increment()
        if batch.count > 0 { readEvents.increment(by: batch.count) }
    }
}
