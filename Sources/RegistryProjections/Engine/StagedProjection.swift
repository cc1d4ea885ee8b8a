import EventLog

/// A projection whose fold of a batch splits into two stages that can run on two cores, one batch apart: a
/// ``ProjectionStage`` prepares each batch in order (its own state, moved out of the projection for the replay),
/// then the projection folds the batch with what the stage prepared.
///
/// ``ProjectionEngine`` runs the stage on batch *n + 1* while the projection folds batch *n* (and the store reads
/// batch *n + 2*). The result must be exactly that of ``Projection/apply(_:)`` on the same batches: the stage sees
/// every batch once, in order, before the projection folds it.
public protocol StagedProjection: Projection {
    /// The first stage, holding the state it needs for the replay.
    associatedtype Stage: ProjectionStage

    /// Moves the stage's state out of the projection, for a replay in two stages.
    mutating func beginStaging() -> Stage

    /// Takes the stage's state back after the replay (every batch staged was folded, or the replay failed).
    mutating func endStaging(_ stage: Stage)

    /// Folds a batch prepared by the stage, in position order, with the same result as ``Projection/apply(_:)``.
    /// - Throws: at the record where the stage stopped (``ProjectionStage/stopped``), as ``Projection/apply(_:)``
    ///   would throw there; nowhere else.
    mutating func apply(_ records: RecordViews, staged: Stage.Output) throws
}

/// The first stage of a ``StagedProjection``: called on one batch at a time, in position order, from one task at a
/// time (never concurrently with itself).
public protocol ProjectionStage: AnyObject, Sendable {
    /// What the stage hands the projection for one batch.
    associatedtype Output: Sendable

    /// Prepares a batch.
    func stage(_ records: RecordViews) -> Output

    /// Whether the stage met a record the projection cannot fold: the projection's fold of that batch throws there,
    /// and no later batch may be staged.
    var stopped: Bool { get }
}
