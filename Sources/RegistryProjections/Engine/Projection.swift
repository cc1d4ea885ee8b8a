import EventLog

/// A view folded from the log in global order.
///
/// A projection keeps the position of the last record it looked at, skips records at or before it (so a batch
/// seen twice changes nothing), and can be saved and restored with that position (``CheckpointCodable``).
/// Conformers are value types; ``ProjectionEngine`` drives them from a store.
public protocol Projection: Sendable {
    /// The position of the last record looked at (0 before any).
    var position: LogPosition { get }

    /// Folds a batch of records, in position order.
    /// - Throws: when a record cannot be read; the projection then stays at the record before it.
    mutating func apply(_ records: RecordViews) throws
}

/// Two projections fed by one pass over the log.
public struct ProjectionPair<First: Projection, Second: Projection>: Projection {
    /// The first projection.
    public var first: First
    /// The second projection.
    public var second: Second

    /// Pairs two projections.
    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    public var position: LogPosition { min(first.position, second.position) }

    public mutating func apply(_ records: RecordViews) throws {
        try first.apply(records)
        try second.apply(records)
    }
}
