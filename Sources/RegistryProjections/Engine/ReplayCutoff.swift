import EventLog

/// Which records a replay folds: all of them, or the registry as of a past date.
///
/// - ``effectiveBy``: what was true in the world by that instant, as known today (corrections recorded later
///   but effective earlier count).
/// - ``recordedBy``: what the registry knew at that instant (only records written by then).
/// Both can be combined: what the registry knew at one moment about another.
public struct ReplayCutoff: Hashable, Sendable {
    /// Fold only records whose effective time is at or before this instant.
    public var effectiveBy: Timestamp?
    /// Fold only records recorded at or before this instant.
    public var recordedBy: Timestamp?

    /// Creates a cut-off.
    public init(effectiveBy: Timestamp? = nil, recordedBy: Timestamp? = nil) {
        self.effectiveBy = effectiveBy
        self.recordedBy = recordedBy
    }

    /// No cut-off: every record.
    public static let none = ReplayCutoff()

    /// Whether a record is folded.
    @inlinable
    public func admits(_ record: RecordView) -> Bool {
        if let e = effectiveBy, record.effectiveTime > e { return false }
        if let r = recordedBy, record.recordedTime > r { return false }
        return true
    }

    /// The one admission rule of every fold: a record at or before `position` was seen (a batch seen twice changes
    /// nothing); a newer one moves `position` to it, and is folded only if the cut-off admits it.
    /// - Returns: whether to fold the record.
    @inlinable
    public func take(_ record: RecordView, advancing position: inout LogPosition) -> Bool {
        guard record.position > position else { return false }
        position = record.position
        return admits(record)
    }

    /// The instant the views are evaluated at (ages, durations): the earlier cut-off, or now.
    public var evaluationTime: Timestamp {
        switch (effectiveBy, recordedBy) {
        case (let e?, let r?): return min(e, r)
        case (let e?, nil): return e
        case (nil, let r?): return r
        case (nil, nil): return .now
        }
    }
}
