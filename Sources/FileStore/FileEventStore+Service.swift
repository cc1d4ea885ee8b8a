import EventLog
import Logging
import ServiceLifecycle

extension FileEventStore: Service {
    /// Opens (or creates) a store, scanning the log on a Dispatch thread rather than on Swift's cooperative pool.
    ///
    /// What the scan found (a torn tail cut, damage, rebuilt indexes) is logged to `options.logger`, or to the
    /// task-local `Logger.current` of the calling task.
    /// - Parameters:
    ///   - directory: the folder holding the segment files; created if missing unless read-only.
    ///   - options: settings.
    /// - Throws: as ``init(directory:options:)``.
    public static func open(directory: String, options: Options = Options()) async throws -> FileEventStore {
        var options = options
        if options.logger == nil { options.logger = Logger.current }
        let chosen = options
        return try await OffPool.run { try FileEventStore(directory: directory, options: chosen) }
    }

    /// Keeps the store open until graceful shutdown or cancellation, then closes it (queued appends finish first).
    ///
    /// The store does no work of its own in the background: `run()` only ties its lifetime to a `ServiceGroup`.
    /// - Throws: what ``close()`` throws.
    public func run() async throws {
        try? await gracefulShutdown()
        logger.debug("file store closing", metadata: ["directory": "\(directory)"])
        try await close()
    }

    /// Logs what opening found: never record contents, only counts, positions and file names.
    func logRecovery() {
        let r = recovery
        if r.tornBytesCut > 0 {
            logger.warning("file store: cut a torn tail left by a crash", metadata: [
                "directory": "\(directory)", "bytes_cut": "\(r.tornBytesCut)", "records": "\(r.records)",
            ])
        }
        if r.indexesRebuilt > 0 {
            logger.notice("file store: rebuilt stream indexes from their segments", metadata: [
                "directory": "\(directory)", "indexes": "\(r.indexesRebuilt)",
            ])
        }
        if let refused = r.snapshotRefused {
            logger.notice("file store: the writer snapshot does not fit the log; the tables were rebuilt by a scan", metadata: [
                "directory": "\(directory)", "reason": "\(refused)",
            ])
        }
        if let damage = r.damage {
            logger.error("file store: damage found; appends are refused and reads stop before it", metadata: [
                "directory": "\(directory)", "code": "\(damage.code)", "damage": "\(damage)",
            ])
        }
        logger.debug("file store opened", metadata: [
            "directory": "\(directory)", "segments": "\(r.segments)", "records": "\(r.records)",
            "read_only": "\(options.readOnly)",
        ])
    }
}
