import EventLog

/// Where an import takes the judging state of a person the store already holds, instead of reading their stream
/// (``JSONLinesImporter/personStates``): for instance the views' snapshot (`PersonStandingSource` in
/// RegistryProjections).
///
/// The importer asks only for person streams the store holds (with the version the store gave for each) that it has
/// neither followed nor appended to, and only while it is the log's only writer (the caller's promise: the file
/// store's writer lock, for `registry import`); it still asks the store whether a line's id is already in the stream
/// (``EventLog/EventStore/holdsEvents(_:on:)``), since the state holds no event ids.
public protocol PersonStateSource: Sendable {
    /// The judging state (``PersonState/init(judging:citizenID:version:hasSurveyTasks:)``) of each stream, as the
    /// log holds it now: nil where the source cannot say exactly (no snapshot, one too far behind the log, a person
    /// with survey tasks, a stream it does not know), and the importer then reads the stream.
    /// - Parameter streams: person streams and the version of each one's last event.
    func personStates(_ streams: [(stream: StreamID, version: StreamVersion)]) async -> [PersonState?]
}
