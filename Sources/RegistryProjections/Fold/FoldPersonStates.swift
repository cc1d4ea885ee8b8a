import EventLog
import Foundation
import RegistryDomain

/// The judging states of the persons a store holds, from the views' fold (``RegistryFold``) instead of their streams:
/// the ``RegistryDomain/PersonStateSource`` that `registry import` gives its importer for a file store.
///
/// The fold is the views' snapshot, loaded on the first question from the first of the given checkpoint files that
/// loads and belongs to the store (``CheckpointFile/load(_:from:settings:for:)``), or one given. Before each answer
/// it folds the records appended since its position (the first time only when they are at most
/// ``maximumCatchUp``; more, and it gives no answer), so it answers for the log as it is when asked: the importer
/// asks after the store gave it the streams' versions, so a state is never older than the version it is judged
/// against (a writer racing the import makes the append fail on its expected version, as with a read). A person with
/// a survey task, a stream the fold does not know, or no fold that fits gives nil: the importer reads the stream.
///
/// *Why the views' fold:* its standing is the state machine the rules decide on (``RegistryDomain/PersonStanding``),
/// folded from the same records, and it is usually already on disk and nearly current; a second per-person state
/// kept for the importer would be a second snapshot to keep exact.
public actor FoldPersonStates<Store: EventStore>: PersonStateSource {
    let store: Store
    /// The checkpoint files to try, until the first question.
    var checkpoints: [(path: String, settings: ProjectionSettings)]
    /// Whether the first question was asked (the checkpoint loaded or not, the first catch-up done or refused).
    var prepared = false
    /// The fold, caught up with the log at the last question; nil when there is none that fits.
    var fold: RegistryFold?
    /// The most records after the fold's position folded before the first answer.
    public let maximumCatchUp: Int

    /// Answers from the first of these checkpoint files (`CutoffStamped<RegistryFold>`, the views' snapshot
    /// beside a file store, `<store>/views/registry-<basis>.checkpoint`) that loads with its settings and belongs to
    /// `store`; none: every answer is nil.
    public init(store: Store, checkpoints: [(path: String, settings: ProjectionSettings)], maximumCatchUp: Int = 1_000_000) {
        self.store = store
        self.checkpoints = checkpoints
        self.maximumCatchUp = maximumCatchUp
    }

    /// Answers from a fold of `store` (of its records up to the fold's position).
    public init(store: Store, fold: RegistryFold, maximumCatchUp: Int = 1_000_000) {
        self.store = store
        self.checkpoints = []
        self.fold = fold
        self.maximumCatchUp = maximumCatchUp
    }

    /// Whether the source has a fold that fits the log (after the first question): for reports and tests.
    public var isAnswering: Bool { prepared && fold != nil }

    public func personStates(_ streams: [(stream: StreamID, version: StreamVersion)]) async -> [PersonState?] {
        if !prepared {
            prepared = true
            await load()
            await catchUp(limit: maximumCatchUp)
        } else {
            await catchUp(limit: nil)
        }
        guard let fold else { return Array(repeating: nil, count: streams.count) }
        return streams.map { stream, version in
            guard stream.category == "person", let key = PersonKey.key(stream), let id = CitizenID(leadingDigits: key),
                  StreamID.person(id) == stream, let found = fold.judgingStanding(ofPersonKey: key)
            else { return nil }
            return PersonState(judging: found.standing, citizenID: id, version: version, hasSurveyTasks: found.hasSurveyTasks)
        }
    }

    /// Loads the first checkpoint that fits, unless a fold was given; keeps only a fold of the current state.
    func load() async {
        if fold == nil {
            for c in checkpoints where FileManager.default.fileExists(atPath: c.path) {
                if case .success(let stamped) = await CheckpointFile.load(CutoffStamped<RegistryFold>.self, from: c.path, settings: c.settings, for: store) {
                    fold = stamped.base
                    break
                }
            }
        }
        checkpoints = []
        if let f = fold, f.cutoff != ReplayCutoff.none { fold = nil }
    }

    /// Folds the records after the fold's position, in place; drops the fold when they are more than `limit`, or
    /// cannot be read or folded.
    func catchUp(limit: Int?) async {
        guard let position = fold?.position else { return }
        do {
            let head = try await store.headPosition()
            guard head >= position else {
                fold = nil
                return
            }
            if let limit, head - position > LogPosition(limit) {
                fold = nil
                return
            }
            guard head > position else { return }
            for try await batch in store.readAll(from: position + 1) {
                try batch.withRecords { try fold!.apply($0) }
            }
        } catch {
            fold = nil
        }
    }
}
