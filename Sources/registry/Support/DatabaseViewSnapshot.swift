import EventLog
import PostgresStore
import RegistryProjections
import Synchronization

/// The views' snapshot kept in a PostgreSQL store's database: the `view_snapshot` table of the log's schema, keyed
/// by projection kind (`registry`) and area basis, holding the bytes a file store's snapshot file holds
/// (``CheckpointFile/withEncoded(_:anchor:_:)``), checked the same way before use (CRC, settings fingerprint, the
/// log's chain hashes at its position and at 1). As in the file, the state is stamped with the latest recorded and
/// effective times (`CutoffStamped`); as-of and known-at views of a PostgreSQL store still replay (only the file store
/// keeps earlier snapshots).
///
/// Saved in a transaction of its own (`PostgresEventStore/saveSnapshot(projection:basis:position:bytes:)`), so a
/// crash leaves the old snapshot or the new one. A role that may read the table but not write it (an auditor with
/// `SELECT`) uses the snapshot without saving, with one note; a role that may not read it replays the log, with one
/// note.
final class DatabaseViewSnapshot: ViewSnapshotStorage {
    /// The projection kind, as the file name says it (`registry-<basis>.checkpoint`).
    static let projection = "registry"
    /// The area basis (`residence`, `hukou`).
    let basis: String
    /// Set when the snapshot could not be read for lack of rights: then it is not saved either (one note is enough).
    private let unreadable = Atomic<Bool>(false)

    init(basis: String) { self.basis = basis }

    func load<S: EventStore>(settings: ProjectionSettings, for store: S) async -> CutoffStamped<RegistryFold>? {
        guard let database = store as? PostgresEventStore else { return nil }
        let bytes: [UInt8]?
        do {
            bytes = try await database.loadSnapshot(projection: Self.projection, basis: basis)
        } catch {
            if (error as? EventLogError)?.code == .permissionDenied { unreadable.store(true, ordering: .relaxed) }
            Terminal.note("registry: note: the views' snapshot is not used (it could not be read: \(error)); replaying the log")
            return nil
        }
        guard let bytes else { return nil }
        let decoded = bytes.withUnsafeBytes { CheckpointFile.decoded(CutoffStamped<RegistryFold>.self, $0, settings: settings) }
        let fold: CutoffStamped<RegistryFold>, anchor: CheckpointAnchor
        switch decoded {
        case .success(let found): (fold, anchor) = found
        case .failure(let refusal):
            Terminal.note("registry: note: the views' snapshot is not used (\(refusal)); rebuilding it")
            return nil
        }
        if let refusal = await CheckpointFile.check(anchor, fits: store) {
            Terminal.note("registry: note: the views' snapshot is not used (\(refusal)); rebuilding it")
            return nil
        }
        return fold
    }

    func save<S: EventStore>(_ fold: CutoffStamped<RegistryFold>, previous: LogPosition?, for store: S) async {
        guard Self.worthSaving(fold, previous: previous), !unreadable.load(ordering: .relaxed),
              let database = store as? PostgresEventStore
        else { return }
        do {
            let anchor = try await CheckpointAnchor.of(store, at: fold.position)
            let outcome = try await database.saveSnapshot(projection: Self.projection, basis: basis, position: fold.position) { write in
                try CheckpointFile.withEncoded(fold, anchor: anchor) { try write($0) }
            }
            if case .notPermitted(let reason) = outcome {
                Terminal.note("registry: note: the views' snapshot is not saved: \(reason)")
            }
        } catch {
            Terminal.note("registry: note: the views' snapshot was not saved: \(error)")
        }
    }
}
