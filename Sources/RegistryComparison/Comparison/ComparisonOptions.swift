import EventLog
import RegistryDomain
import RegistryProjections

/// Settings of a comparison run.
public struct ComparisonOptions: Sendable {
    /// Rows whose facts are appended together: one `append` call and one durable write per batch, so a run
    /// killed halfway loses at most the batch in flight, which a re-run appends.
    public var batchRows = 10_000
    /// Rejected rows kept in full in the report (all are counted).
    public var rejectionsKept = 1_000
    /// Whether to count the survey targets per county before and after the run (replays the worklist view too).
    public var countsSurveyTargets = true
    /// The settings of the worklist view the targets come from.
    public var projectionSettings: ProjectionSettings = .standard
    /// The instant the worklists are evaluated at (now by default).
    public var evaluationTime: Timestamp?
    /// The known divisions; nil accepts any well-formed division code.
    public var divisions: DivisionDirectory?
    /// The feed's encoding; nil detects it.
    public var encoding: FeedEncoding?

    /// The defaults.
    public init() {}
}

/// Where a run is, for a progress bar.
public struct ComparisonProgress: Sendable, Hashable {
    /// What the run is doing.
    public enum Phase: String, Sendable, Hashable {
        /// Folding the log into the registry's knowledge.
        case readingRegistry
        /// Reading and comparing the feed.
        case comparing
        /// Recording findings the feed no longer lists.
        case ending
    }

    /// The phase.
    public var phase: Phase
    /// Units done: events read, or rows compared.
    public var done: Int
    /// The fraction done, when known.
    public var fraction: Double?
}
