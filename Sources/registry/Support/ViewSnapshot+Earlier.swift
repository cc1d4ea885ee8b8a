import EventLog
import Foundation
import Logging
import RegistryProjections

/// Earlier snapshots: the views' snapshot, when replaced, is kept under a second name with its position
/// (`<store>/views/registry-<basis>@<position>.checkpoint`), so that an as-of or known-at view can start from the
/// latest snapshot whose stamp answers its cut-off (``CutoffStamped/answers(_:)``) instead of from record 1.
///
/// *Which are kept:* at most ``earlierLimit`` per basis, thinned by dropping the one whose removal leaves the
/// smallest gap between its neighbours (``thinned(_:limit:upTo:)``), so they spread over the log: a city's snapshot
/// is about 200 MiB at ten million events, and a few evenly spread are enough to bound the replay of any cut-off.
extension ViewSnapshot {
    /// The most earlier snapshots kept per basis.
    static let earlierLimit = 3

    /// The folder of the snapshots and this basis' file name without `.checkpoint`.
    private var folder: String { (path as NSString).deletingLastPathComponent }
    private var stem: String { ((path as NSString).lastPathComponent as NSString).deletingPathExtension }

    /// The file an earlier snapshot at `position` is kept in.
    func earlierPath(at position: LogPosition) -> String {
        (folder as NSString).appendingPathComponent("\(stem)@\(position).checkpoint")
    }

    /// The earlier snapshots of this basis, by the position their names give, oldest first.
    func earlier() -> [(position: LogPosition, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.compactMap { name -> (LogPosition, String)? in
            guard name.hasPrefix(stem + "@"), name.hasSuffix(".checkpoint"),
                  let position = LogPosition(name.dropFirst(stem.count + 1).dropLast(".checkpoint".count))
            else { return nil }
            return (position, (folder as NSString).appendingPathComponent(name))
        }.sorted { $0.0 < $1.0 }
    }

    /// Keeps the snapshot about to be replaced as an earlier one: a second name for the same file, so nothing is
    /// copied (the new snapshot then replaces the first name by renaming). Named by the position the file itself
    /// gives, in case another process replaced it since it was loaded. A failure only means one snapshot fewer.
    func retire() {
        guard let (position, _) = CheckpointFile.peek(path, count: 0), position > 0 else { return }
        let target = earlierPath(at: position)
        guard !FileManager.default.fileExists(atPath: target) else { return }
        _ = link(path, target)
    }

    /// Removes the earlier snapshots not below `position` (the current snapshot's: they are of another history of
    /// the store, or the same as it), then thins the rest to ``earlierLimit``.
    func prune(below position: LogPosition) {
        let all = earlier()
        let keep = Set(Self.thinned(all.map(\.position).filter { $0 < position }, limit: Self.earlierLimit, upTo: position))
        for file in all where !keep.contains(file.position) { _ = unlink(file.path) }
    }

    /// Removes the earlier snapshots that are of another log than `store`, after the current snapshot was refused as
    /// another log's (a store restored from its export, or swapped for another): they were kept beside it, so they
    /// are most likely of that log too, and each would otherwise be refused, with a note, by every cut-off view until
    /// thinned out. Each is checked by its anchor (two reads of the log), not removed blindly: a store cut back to an
    /// earlier copy of itself keeps those below its head. One note says how many were removed; a folder that cannot
    /// be written keeps them (each cut-off view then notes them, as before).
    func removeEarlier<S: EventStore>(notFitting store: S) async {
        var removed = 0
        for file in earlier() {
            guard let anchor = CheckpointFile.peekAnchor(file.path) else { continue }  // damaged: a view notes it
            if let refusal = await CheckpointFile.check(anchor, fits: store), refusal.kind == .anotherLog,
               unlink(file.path) == 0 {
                removed += 1
            }
        }
        if removed > 0 {
            Terminal.note("registry: note: \(removed) earlier views' \(removed == 1 ? "snapshot" : "snapshots") of that other log removed")
        }
    }

    /// The positions kept of `positions` (below `head`): while there are more than `limit`, the one whose neighbours
    /// (0 and `head` at the ends) are closest is dropped, the older on a tie.
    ///
    /// *Why this rule:* a cut-off view folds from the kept snapshot below the first record its cut-off refuses, so
    /// what matters is the largest gap between kept positions. Dropping the point of the smallest merged gap never
    /// makes a gap larger than `2·head/(limit+1)` (the `limit+1` merged gaps sum to at most twice the span), so any
    /// position has a kept snapshot at most that far below it, apart from a stretch no view was asked about.
    static func thinned(_ positions: [LogPosition], limit: Int, upTo head: LogPosition) -> [LogPosition] {
        var kept = positions.sorted()
        while kept.count > max(limit, 0) {
            var drop = 0, smallest = LogPosition.max
            for i in kept.indices {
                let before = i == 0 ? 0 : kept[i - 1], after = i == kept.count - 1 ? max(head, kept[i]) : kept[i + 1]
                if after - before < smallest { smallest = after - before; drop = i }
            }
            kept.remove(at: drop)
        }
        return kept
    }

    /// The views of the log up to the latest snapshot (current or earlier) whose stamp answers `cutoff`, narrowed
    /// to the cut-off, so that folding the records after it gives the cut-off view; nil when none answers it (the
    /// view then replays from the start).
    ///
    /// Snapshots are tried from the latest position down; one whose stamp does not answer the cut-off is skipped
    /// without being read, one that fails its checks (damaged, other settings, another log) is skipped with a note.
    /// The chosen one is logged at `info` with its position.
    func nearest<S: EventStore>(answering cutoff: ReplayCutoff, settings: ProjectionSettings, for store: S,
                                logger: Logger = Logger.current) async -> RegistryFold? {
        typealias Stamped = CutoffStamped<RegistryFold>
        var candidates: [(position: LogPosition, path: String)] = []
        for file in [path] + earlier().map(\.path) where FileManager.default.fileExists(atPath: file) {
            let name = (file as NSString).lastPathComponent
            guard let (position, head) = CheckpointFile.peek(file, count: Stamped.stampSize),
                  let stamp = head.withUnsafeBytes({ Stamped.stamp(from: $0) })
            else {
                Terminal.note("registry: note: the views' snapshot \(name) is not used (it is damaged or of another format)")
                continue
            }
            guard Stamped.answers(cutoff, latestRecorded: stamp.recorded, latestEffective: stamp.effective) else {
                logger.debug("views' snapshot skipped: it holds records past the cut-off", metadata: ["snapshot": "\(name)", "position": "\(position)"])
                continue
            }
            candidates.append((position, file))
        }
        for candidate in candidates.sorted(by: { $0.position > $1.position }) {
            let name = (candidate.path as NSString).lastPathComponent
            let identity = Self.fileIdentity(candidate.path)
            switch await CheckpointFile.load(Stamped.self, from: candidate.path, settings: settings, for: store) {
            case .success(let stamped) where stamped.answers(cutoff):
                logger.info("cut-off views start from a snapshot", metadata: ["snapshot": "\(name)", "position": "\(stamped.position)"])
                return stamped.base.narrowed(to: cutoff)
            case .success:
                continue  // its unchecked head said otherwise: the checked stamp decides
            case .failure(let refusal) where refusal.kind == .anotherLog:
                // Of another log: it never will be used here; removed, so that no later view notes it again. Only the
                // file that was refused: a view running beside this one may have renamed a fresh snapshot over the name.
                let removed = Self.fileIdentity(candidate.path) == identity && identity != nil && unlink(candidate.path) == 0
                Terminal.note("registry: note: the views' snapshot \(name) is not used (\(refusal))\(removed ? "; removed" : "")")
            case .failure(let refusal):
                Terminal.note("registry: note: the views' snapshot \(name) is not used (\(refusal))")
            }
        }
        logger.info("cut-off views replay from the start: no snapshot answers the cut-off")
        return nil
    }

    /// The device and inode of the file at `path`, nil when there is none: the same name may hold another file later.
    static func fileIdentity(_ path: String) -> [UInt64]? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return [UInt64(st.st_dev), UInt64(st.st_ino)]
    }
}
