import EventLog

/// Checks that a store has no known damage before a view is built from it: reads stop at damage, so a view of a
/// damaged store would silently leave out everything after it.
enum StoreHealth {
    /// Throws when the store knows of damage (found when it was opened).
    /// - Throws: ``CommandFailure`` naming the damage and pointing to `registry verify`.
    static func requireIntact<S: EventStore>(_ store: S, at location: StoreLocation) async throws {
        if let damage = await store.knownDamage() {
            throw CommandFailure(
                "the store is damaged, so its views would be incomplete: \(damage)", at: location.description,
                fix: "run `registry verify --store \(location)` to see how far the log is intact", status: .dataError)
        }
    }
}
