import CoreMetrics
import EventLog
import Logging
import ServiceLifecycle
import Synchronization

/// A projection kept current by a subscription: readers take a consistent copy at any time while ``run(store:batchSize:)``
/// (or, made with ``init(_:following:name:batchSize:logger:metricsFactory:)``, the `Service`'s ``run()``) folds
/// new records as they commit.
///
/// ```swift
/// let live = LiveProjection(RegistryModel(), following: store, name: "registry")
/// let group = ServiceGroup(services: [store, live], logger: logger)   // swift-service-lifecycle
/// try await group.run()                                                // views: live.current
/// ```
///
/// It reports its lag behind the log (`EventLogMetrics/projectionLagSeconds`, `EventLogMetrics/projectionLag`)
/// and the position it folded (`EventLogMetrics/projectionPosition`), with the dimension `projection`.
public final class LiveProjection<P: Projection>: Service, Sendable {
    private let state: Mutex<P>
    private let follow: (@Sendable (LiveProjection<P>) async throws -> Void)?
    let name: String
    let logger: Logger
    let lagPositions: Gauge
    let lagSeconds: Gauge
    let folded: Gauge

    /// Starts from a projection (fresh, or restored from a checkpoint); follow a store with ``run(store:batchSize:)``.
    public init(_ projection: P) {
        state = Mutex(projection)
        follow = nil
        name = "projection"
        logger = Logger.current
        (lagPositions, lagSeconds, folded) = Self.gauges(name: name, factory: nil)
    }

    /// Starts from a projection and follows `store` when run as a `Service` (``run()``).
    /// - Parameters:
    ///   - projection: fresh, or restored from a checkpoint.
    ///   - store: the store to follow.
    ///   - name: the `projection` dimension of the metrics and the name in logs.
    ///   - batchSize: records per read.
    ///   - logger: catch-up progress and failures; the task-local `Logger.current` when nil.
    ///   - metricsFactory: the process's `MetricsSystem.factory` when nil.
    public init<S: EventStore>(
        _ projection: P, following store: S, name: String, batchSize: Int = 16384, logger: Logger? = nil,
        metricsFactory: (any MetricsFactory)? = nil
    ) {
        state = Mutex(projection)
        follow = { live in try await live.run(store: store, batchSize: batchSize) }
        self.name = name
        self.logger = logger ?? Logger.current
        (lagPositions, lagSeconds, folded) = Self.gauges(name: name, factory: metricsFactory)
    }

    private static func gauges(name: String, factory: (any MetricsFactory)?) -> (Gauge, Gauge, Gauge) {
        let factory = factory ?? MetricsSystem.factory
        let d = [("projection", name)]
        return (Gauge(label: EventLogMetrics.projectionLag, dimensions: d, factory: factory),
                Gauge(label: EventLogMetrics.projectionLagSeconds, dimensions: d, factory: factory),
                Gauge(label: EventLogMetrics.projectionPosition, dimensions: d, factory: factory))
    }

    /// A copy of the projection as it stands.
    public var current: P { state.withLock { $0 } }

    /// The position folded so far.
    public var position: LogPosition { state.withLock { $0.position } }

    /// Follows the store given at creation until graceful shutdown or cancellation, then returns.
    /// - Throws: `EventLogError/Code/invalidArgument` when made without a store; a store or projection error.
    public func run() async throws {
        guard let follow else {
            throw EventLogError(.invalidArgument, "this live projection was made without a store: call run(store:)")
        }
        do {
            try await cancelWhenGracefulShutdown { try await follow(self) }
        } catch is CancellationError {
            logger.debug("live projection stopped", metadata: ["projection": "\(name)", "position": "\(position)"])
        } catch let error as EventLogError where error.code == .storeClosed {
            logger.debug("live projection stopped: the store closed", metadata: ["projection": "\(name)"])
        }
    }

    /// Follows the store until the task is cancelled: catches up from the projection's position, then folds each
    /// batch as it commits, never missing or repeating a record.
    /// - Throws: `CancellationError` when cancelled; a store or projection error otherwise.
    public func run<S: EventStore>(store: S, batchSize: Int = 16384) async throws {
        let from = position + 1
        let head = try await store.headPosition()
        if head >= from {
            logger.info("live projection catching up", metadata: [
                "projection": "\(name)", "from": "\(from)", "head": "\(head)",
            ])
        }
        var caughtUp = head < from
        do {
            for try await batch in store.subscribe(from: from, batchSize: batchSize) {
                let newest = try state.withLock { p in
                    try batch.withRecords { records -> Timestamp? in
                        try p.apply(records)
                        return records.last?.recordedTime
                    }
                }
                let now = position
                folded.record(Int64(clamping: now))
                lagPositions.record(Int64(clamping: head > now ? head - now : 0))
                if let newest {
                    let seconds = Double(Timestamp.now.microsecondsSinceEpoch - newest.microsecondsSinceEpoch) / 1e6
                    lagSeconds.record(max(0, seconds))
                }
                if !caughtUp, now >= head {
                    caughtUp = true
                    logger.info("live projection caught up; following", metadata: ["projection": "\(name)", "position": "\(now)"])
                }
            }
        } catch let error as EventLogError where error.code != .storeClosed {
            logger.error("live projection stopped by an error", metadata: [
                "projection": "\(name)", "position": "\(position)", "code": "\(error.code)", "error": "\(error)",
            ])
            throw error
        }
    }

    /// Waits until the projection has folded `position` (polling briefly); for tests and tools.
    public func waitUntil(position target: LogPosition, timeoutSeconds: Double = 30) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeoutSeconds * 1000))
        while position < target {
            if ContinuousClock.now > deadline { throw EventLogError(.ioFailure, "the live projection did not reach position \(target) in time") }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
    }
}
