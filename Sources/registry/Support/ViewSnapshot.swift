import EventLog
import Foundation
import RegistryProjections

/// The views' snapshot kept beside a file store, so that a view of the current state folds only what was appended
/// since the last view instead of replaying the whole log.
///
/// One file per counting basis, `<store>/views/registry-<basis>.checkpoint`, written through ``CheckpointFile``:
/// owner-only, atomically replaced, CRC-checked, stamped with the settings' fingerprint and anchored to the log by the
/// chain hashes at its position and at position 1. A snapshot that does not fit the log (damaged, other settings,
/// another log, the same log restored from an export) is set aside with a note, and the views are rebuilt.
/// As-of and known-at views never use it: they fold only part of the log.
///
/// *Why beside the store and not in it:* the snapshot is derived and disposable; the log stays the only record, a
/// backup of the segments alone is complete, and a read-only process (an auditor) can use a snapshot it cannot write.
struct ViewSnapshot: ViewSnapshotStorage {
    /// The snapshot file.
    let path: String

    /// The snapshot of a store's views with these settings: this file beside a file store, the database's
    /// `view_snapshot` table for a PostgreSQL store (``DatabaseViewSnapshot``).
    static func location(for store: StoreLocation, basis: BasisArgument) -> (any ViewSnapshotStorage)? {
        switch store {
        case .directory(let directory):
            return ViewSnapshot(path: (directory as NSString).appendingPathComponent("views/registry-\(basis.rawValue).checkpoint"))
        case .postgres:
            return DatabaseViewSnapshot(basis: basis.rawValue)
        }
    }

    /// The saved views, if there is a snapshot and it belongs to this log.
    func load<S: EventStore>(settings: ProjectionSettings, for store: S) async -> RegistryFold? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        switch await CheckpointFile.load(RegistryFold.self, from: path, settings: settings, for: store) {
        case .success(let fold):
            return fold
        case .failure(let refusal):
            Terminal.note("registry: note: the views' snapshot is not used (\(refusal)); rebuilding it")
            return nil
        }
    }

    /// Saves the views when there was no snapshot that fit, or when they moved past it by at least a hundredth of the
    /// log (``ViewSnapshotStorage/worthSaving(_:previous:)``). A store whose directory cannot be written (a read-only
    /// auditor, a read-only mount) keeps its old snapshot, silently: the views are right either way.
    func save<S: EventStore>(_ fold: RegistryFold, previous: LogPosition?, for store: S) async {
        guard Self.worthSaving(fold, previous: previous) else { return }
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            guard access(folder, W_OK) == 0 else { return }
            let anchor = try await CheckpointAnchor.of(store, at: fold.position)
            try CheckpointFile.save(fold, anchor: anchor, to: path)
        } catch {
            guard access((folder as NSString).deletingLastPathComponent, W_OK) == 0 else { return }
            Terminal.note("registry: note: the views' snapshot was not saved: \(error)")
        }
    }
}
