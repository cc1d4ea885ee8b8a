import EventLog

/// A projection of the whole log stamped with the latest recorded and the latest effective time among the records
/// it has looked at, so that its checkpoint also says which cut-offs it answers.
///
/// A fold of every record up to position P equals the fold with a ``ReplayCutoff`` up to P exactly when every record
/// up to P passes the cut-off: known-at T when no record up to P was recorded after T, as-of D when none is
/// effective after D. Both maxima are kept (``answers(_:)``) rather than assumed: the file store's recorded times
/// come from the appending process's clock, which may step back, and effective times are back-dated or
/// future-dated at will. A checkpoint of it can start a cut-off view when it answers the cut-off; the records
/// after its position are then folded under the cut-off.
///
/// The stamp counts every record, not only those the projection folds: a record the projection ignores cannot make
/// a cut-off fold differ, so counting it can only make a checkpoint fit fewer cut-offs, never a wrong one.
public struct CutoffStamped<Base: CheckpointCodable>: CheckpointCodable {
    /// The projection.
    public var base: Base
    /// The latest recorded time among the records up to ``position`` (nil before any).
    public private(set) var latestRecorded: Timestamp?
    /// The latest effective time among the records up to ``position`` (nil before any).
    public private(set) var latestEffective: Timestamp?

    /// Stamps a fresh projection (at position 0: there is nothing before it to stamp).
    /// - Precondition: `base` is at position 0.
    public init(_ base: Base) {
        precondition(base.position == 0, "only a projection folded under the stamp can be stamped")
        self.base = base
    }

    public var position: LogPosition { base.position }

    /// Whether the state up to ``position`` is also the state of a fold with `cutoff` up to there: every record up to
    /// ``position`` passes it.
    public func answers(_ cutoff: ReplayCutoff) -> Bool {
        Self.answers(cutoff, latestRecorded: latestRecorded, latestEffective: latestEffective)
    }

    /// Whether a state stamped with these latest times answers `cutoff` (``answers(_:)``).
    public static func answers(_ cutoff: ReplayCutoff, latestRecorded: Timestamp?, latestEffective: Timestamp?) -> Bool {
        if let e = cutoff.effectiveBy, let latest = latestEffective, latest > e { return false }
        if let r = cutoff.recordedBy, let latest = latestRecorded, latest > r { return false }
        return true
    }

    public mutating func apply(_ records: RecordViews) throws {
        stamp(records)
        try base.apply(records)
    }

    /// Counts a batch's records after ``position`` in the stamp.
    mutating func stamp(_ records: RecordViews) {
        let from = base.position
        var recorded = latestRecorded?.microsecondsSinceEpoch ?? .min
        var effective = latestEffective?.microsecondsSinceEpoch ?? .min
        var any = false
        for record in records where record.position > from {
            recorded = max(recorded, record.recordedTime.microsecondsSinceEpoch)
            effective = max(effective, record.effectiveTime.microsecondsSinceEpoch)
            any = true
        }
        // Stamped before folding: if the fold stops part-way the stamp may count records it did not fold, which only
        // makes it fit fewer cut-offs.
        if any {
            latestRecorded = Timestamp(microsecondsSinceEpoch: recorded)
            latestEffective = Timestamp(microsecondsSinceEpoch: effective)
        }
    }

    /// The stamp's magic, "CUTSTMP1".
    static var magic: UInt64 { 0x3150_4D54_5354_5543 }
    /// The stamp's size in bytes: magic, whether stamped, latest recorded, latest effective.
    public static var stampSize: Int { 32 }

    /// The stamp as it leads the checkpoint's bytes.
    var stampBytes: [UInt8] {
        var w: [UInt8] = []
        w.appendLE(Self.magic)
        w.appendLE(UInt64(latestRecorded == nil ? 0 : 1))
        w.appendLE(UInt64(bitPattern: latestRecorded?.microsecondsSinceEpoch ?? 0))
        w.appendLE(UInt64(bitPattern: latestEffective?.microsecondsSinceEpoch ?? 0))
        return w
    }

    /// Reads a stamp from the first ``stampSize`` bytes of a checkpoint (before its CRC is checked: for choosing
    /// which checkpoint to load, never for trusting one).
    /// - Returns: the latest recorded and effective times (nil for an empty stamp), or nil when these are not a
    ///   stamp.
    public static func stamp(from bytes: UnsafeRawBufferPointer) -> (recorded: Timestamp?, effective: Timestamp?)? {
        var r = ByteReader(bytes)
        guard r.u64() == magic, let stamped = r.u64(), stamped <= 1, let recorded = r.u64(), let effective = r.u64() else { return nil }
        guard stamped == 1 else { return (nil, nil) }
        return (Timestamp(microsecondsSinceEpoch: Int64(bitPattern: recorded)), Timestamp(microsecondsSinceEpoch: Int64(bitPattern: effective)))
    }

    public func checkpointBytes() -> [UInt8] { stampBytes + base.checkpointBytes() }

    /// The stamp, then the projection's own pieces, unchanged.
    public func withCheckpointPieces<R>(_ body: ([UnsafeRawBufferPointer]) throws -> R) rethrows -> R {
        try stampBytes.withUnsafeBytes { stamp in
            try base.withCheckpointPieces { pieces in try body([stamp] + pieces) }
        }
    }

    public init?(checkpoint bytes: UnsafeRawBufferPointer, settings: ProjectionSettings) {
        guard bytes.count >= Self.stampSize, let stamp = Self.stamp(from: UnsafeRawBufferPointer(rebasing: bytes[..<Self.stampSize])),
              let base = Base(checkpoint: UnsafeRawBufferPointer(rebasing: bytes[Self.stampSize...]), settings: settings),
              (stamp.recorded == nil) == (base.position == 0)
        else { return nil }
        self.base = base
        self.latestRecorded = stamp.recorded
        self.latestEffective = stamp.effective
    }
}

extension CutoffStamped: Equatable where Base: Equatable {}

extension CutoffStamped: StagedProjection where Base: StagedProjection {
    public mutating func beginStaging() -> Base.Stage { base.beginStaging() }

    public mutating func endStaging(_ stage: Base.Stage) { base.endStaging(stage) }

    public mutating func apply(_ records: RecordViews, staged: Base.Stage.Output) throws {
        stamp(records)
        try base.apply(records, staged: staged)
    }
}
