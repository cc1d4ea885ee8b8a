import EventLog
import RegistryProjections

/// Where the views' snapshot of a store is kept: beside a file store (``ViewSnapshot``, a file) or in a PostgreSQL
/// store's database (``DatabaseViewSnapshot``, the `view_snapshot` table). Both hold the same bytes (a checkpoint:
/// format, settings fingerprint, position, the chain hashes at its position and at 1, CRC), are checked the same way
/// before use, and are saved back under the same rule (``worthSaving(_:previous:)``).
protocol ViewSnapshotStorage: Sendable {
    /// The saved views, if there is a snapshot and it belongs to this log; else nil, with a one-line note when there
    /// was one that is not used.
    func load<S: EventStore>(settings: ProjectionSettings, for store: S) async -> CutoffStamped<RegistryFold>?

    /// Saves the views when ``worthSaving(_:previous:)``; a process that may not write the snapshot keeps the old
    /// one. Never fails: the views are right either way.
    func save<S: EventStore>(_ fold: CutoffStamped<RegistryFold>, previous: LogPosition?, for store: S) async
}

extension ViewSnapshotStorage {
    /// Whether to save the views: there was no snapshot that fit (`previous` nil), or they moved past it by at least
    /// a hundredth of the log.
    ///
    /// *Why not after every new record:* writing the snapshot costs as much as its size (a city's: hundreds of
    /// megabytes, synced), folding the records since it as much as their number; so a view after a small import
    /// folds the few new records and leaves the snapshot alone, and it is rewritten once the tail is worth it.
    static func worthSaving(_ fold: CutoffStamped<RegistryFold>, previous: LogPosition?) -> Bool {
        guard fold.base.cutoff == .none, fold.position > 0, fold.position != previous else { return false }
        if let previous, previous < fold.position, (fold.position - previous) * 100 < fold.position { return false }
        return true
    }
}

extension ViewSnapshot {
    /// Where the views' snapshot of a store with these settings is kept: the file beside a file store
    /// (``ViewSnapshot``), or the database of a PostgreSQL store (``DatabaseViewSnapshot``).
    static func storage(for store: StoreLocation, basis: BasisArgument) -> (any ViewSnapshotStorage)? {
        switch store {
        case .directory: return location(for: store, basis: basis)
        case .postgres: return DatabaseViewSnapshot(basis: basis.rawValue)
        }
    }
}
