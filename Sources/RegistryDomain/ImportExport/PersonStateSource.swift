import EventLog

/// Where an import takes the judging state of a person the store already holds, instead of reading their stream
/// (``JSONLinesImporter/personStates``): for instance the views' snapshot (`SnapshotPersonStates` in
/// RegistryProjections).
///
/// The importer asks only for person streams the store holds that it neither follows nor has dropped after a refusal,
/// right after the store gave their versions; a source answers for the log as it is when asked, so a state is never
/// older than the version the line will expect (a writer racing the import makes that append fail, as after a read).
/// The importer still asks the store whether a line's id is already in the stream
/// (`EventStore.holdsEvents(_:on:)`), since the state holds no event ids, and reads a person's survey tasks
/// from the stream before judging a survey line.
public protocol PersonStateSource: Sendable {
    /// The judging state (``PersonState/init(judging:citizenID:version:)``) of each stream, as the log holds it
    /// now: nil where the source cannot say exactly (no snapshot, one too far behind the log, a stream it does not
    /// know), and the importer then reads the stream.
    /// - Parameter streams: person streams and the version of each one's last event.
    func personStates(_ streams: [(stream: StreamID, version: StreamVersion)]) async -> [KnownPersonState?]
}

/// A person's judging state from a ``PersonStateSource``, and whether they have survey tasks (not in the state: the
/// importer reads them from the stream before it judges a survey line of such a person).
public struct KnownPersonState: Sendable {
    /// The state (``PersonState/init(judging:citizenID:version:)``).
    public var state: PersonState
    /// Whether the person has any survey task.
    public var hasSurveyTasks: Bool

    /// A state, and whether the person has survey tasks.
    public init(state: PersonState, hasSurveyTasks: Bool) {
        self.state = state
        self.hasSurveyTasks = hasSurveyTasks
    }
}
