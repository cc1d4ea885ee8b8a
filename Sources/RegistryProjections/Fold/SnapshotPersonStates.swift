import EventLog
import Foundation
import RegistryDomain

/// The judging states of the persons a store holds, from the views' snapshot instead of their streams: the
/// `PersonStateSource` that `registry import` gives its importer for a file store.
///
/// On the first question it maps the first of the given snapshot files (`<store>/views/registry-<basis>.checkpoint`)
/// that is whole and belongs to the store (``CheckpointFile/check(_:fits:)``), reading the persons' standings in
/// place (`PersonStandingsFile`: no load of the views). Before each answer it folds the records appended since into
/// a small table of the standings they changed (the first time only when they are at most ``maximumCatchUp``; more,
/// and it gives no answer), with the views' own steps (`PersonFact`, `PersonStanding.apply`), so it answers for the
/// log as it is when asked. The importer asks after the store gave the streams' versions, so a state is never older
/// than the version it is judged against: a writer racing the import makes the append fail on its expected version,
/// as after a read. A stream the snapshot does not know, or no snapshot that fits, gives nil: the importer reads the
/// stream. Survey tasks are not given (only whether the person has any): the importer reads them from the stream
/// when a survey line needs them.
///
/// *Why the views' snapshot:* its standing is the state machine the rules decide on (`PersonStanding`),
/// folded from the same records, and it is usually on disk and nearly current; a second per-person state kept for
/// the importer would be a second snapshot to keep exact.
public actor SnapshotPersonStates<Store: EventStore>: PersonStateSource {
    let store: Store
    /// The snapshot files to try, until the first question.
    var candidates: [(path: String, settings: ProjectionSettings)]
    /// Whether the first question was asked.
    var prepared = false
    /// The snapshot, once mapped and found to fit; nil when none fits (or catching up failed).
    var file: PersonStandingsFile?
    /// The standings changed by the records after the snapshot's position, and whether those persons have a task.
    var changed: [UInt64: (standing: PersonStanding, hasSurveyTasks: Bool)] = [:]
    /// The last record folded into ``changed``.
    var position: LogPosition = 0
    /// The most records after the snapshot's position folded before the first answer.
    public let maximumCatchUp: Int

    /// Answers from the first of these views' snapshot files, each with the settings of its name, that is whole and
    /// belongs to `store`; none: every answer is nil.
    public init(store: Store, snapshots: [(path: String, settings: ProjectionSettings)], maximumCatchUp: Int = 1_000_000) {
        self.store = store
        self.candidates = snapshots
        self.maximumCatchUp = maximumCatchUp
    }

    /// Whether a snapshot that fits the log is used (after the first question): for reports and tests.
    public var isAnswering: Bool { prepared && file != nil }

    public func personStates(_ streams: [(stream: StreamID, version: StreamVersion)]) async -> [KnownPersonState?] {
        if !prepared {
            prepared = true
            await open()
            await catchUp(limit: maximumCatchUp)
        } else {
            await catchUp(limit: nil)
        }
        guard let file else { return Array(repeating: nil, count: streams.count) }
        return streams.map { stream, version in
            guard stream.category == "person", let key = PersonKey.key(stream), let id = CitizenID(leadingDigits: key),
                  StreamID.person(id) == stream, let found = changed[key] ?? (try? file.standing(ofPersonKey: key)) ?? nil
            else { return nil }
            return KnownPersonState(state: PersonState(judging: found.standing, citizenID: id, version: version), hasSurveyTasks: found.hasSurveyTasks)
        }
    }

    /// Maps the first snapshot that is whole and belongs to the store.
    func open() async {
        for c in candidates where FileManager.default.fileExists(atPath: c.path) {
            guard let f = PersonStandingsFile(path: c.path, settings: c.settings) else { continue }
            if await CheckpointFile.check(f.anchor, fits: store) == nil {
                file = f
                position = f.position
                break
            }
        }
        candidates = []
    }

    /// Folds the records after ``position`` into ``changed``; gives up the snapshot when they are more than `limit`,
    /// or cannot be read or folded.
    func catchUp(limit: Int?) async {
        guard let file else { return }
        do {
            let head = try await store.headPosition()
            if head < position || (limit.map { head - position > LogPosition($0) } ?? false) {
                self.file = nil
                return
            }
            guard head > position else { return }
            for try await batch in store.readAll(from: position + 1) {
                try batch.withRecords { records in
                    for record in records where record.position > position {
                        position = record.position
                        guard let key = PersonKey.key(streamBytes: record.streamBytes), key != 0,
                              let fact = try PersonFact.decode(record)
                        else { continue }
                        var entry = try changed[key] ?? file.standing(ofPersonKey: key) ?? (PersonStanding(), false)
                        if case .taskDispatched = fact { entry.hasSurveyTasks = true }
                        entry.standing.apply(fact)
                        changed[key] = entry
                    }
                }
            }
        } catch {
            self.file = nil
        }
    }
}
