import EventLog
import Synchronization

/// A projection kept current by a subscription: readers take a consistent copy at any time while ``run(store:)``
/// folds new records as they commit.
public final class LiveProjection<P: Projection>: Sendable {
    private let state: Mutex<P>

    /// Starts from a projection (fresh, or restored from a checkpoint).
    public init(_ projection: P) { state = Mutex(projection) }

    /// A copy of the projection as it stands.
    public var current: P { state.withLock { $0 } }

    /// The position folded so far.
    public var position: LogPosition { state.withLock { $0.position } }

    /// Follows the store until the task is cancelled: catches up from the projection's position, then folds each
    /// batch as it commits, never missing or repeating a record.
    /// - Throws: `CancellationError` when cancelled; a store or projection error otherwise.
    public func run<S: EventStore>(store: S, batchSize: Int = 16384) async throws {
        let from = position + 1
        for try await batch in store.subscribe(from: from, batchSize: batchSize) {
            try state.withLock { p in try batch.withRecords { try p.apply($0) } }
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
