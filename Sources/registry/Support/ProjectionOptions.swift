import ArgumentParser
import EventLog
import RegistryDomain
import RegistryProjections

/// The options of a projection view: basis and the as-of cut-offs (`--format` and `--level` are declared by the
/// views that use them).
struct ProjectionOptions: ParsableArguments, Sendable {
    @Option(help: "Count people where they live (residence) or where their household is registered (hukou).")
    var basis: BasisArgument = .residence

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "The registry as it was in the world on this date (effective time): YYYY-MM-DD (the whole day, China Standard Time) or an ISO 8601 time.",
            valueName: "DATE"))
    var asOf: String?

    @Option(
        name: .customLong("known-at"),
        help: ArgumentHelp(
            "The registry as it was known at this time (recorded time): an ISO 8601 time, or YYYY-MM-DD (the end of that day, China Standard Time).",
            valueName: "TIMESTAMP"))
    var knownAt: String?

    @Option(help: ArgumentHelp(
        "Start from this checkpoint (saved by `registry replay --checkpoint`) and fold only the newer records; rebuilt from scratch when it does not fit.",
        valueName: "FILE"))
    var checkpoint: String?

    @Flag(name: .customLong("no-snapshot"), help: "Replay the whole log instead of starting from the views' snapshot (kept beside a file store, or in a PostgreSQL store's database).")
    var noSnapshot = false

    func validate() throws {
        if checkpoint != nil, asOf != nil || knownAt != nil {
            throw ValidationError("--checkpoint holds the whole log: it cannot be combined with --as-of or --known-at")
        }
        if let asOf, Self.instant(asOf) == nil {
            throw ValidationError("--as-of takes YYYY-MM-DD or an ISO 8601 time such as 2024-03-01T08:00:00Z")
        }
        if let knownAt, Self.instant(knownAt) == nil {
            throw ValidationError("--known-at takes an ISO 8601 time such as 2024-03-01T08:00:00Z, or YYYY-MM-DD")
        }
    }

    /// The projection settings.
    var settings: ProjectionSettings { ProjectionSettings(areaBasis: basis.areaBasis) }

    /// The replay cut-off.
    var cutoff: ReplayCutoff {
        ReplayCutoff(effectiveBy: asOf.flatMap(Self.instant), recordedBy: knownAt.flatMap(Self.instant))
    }

    /// A date alone is a civil day in China Standard Time, as everywhere in the registry (``ISOTimestamp``): as a
    /// cut-off it includes the whole day, so it means the day's last microsecond. Anything else is an ISO 8601 time
    /// read by the one time reader (``ISO8601``), every microsecond kept, so a record at exactly that instant is
    /// included.
    static func instant(_ text: String) -> Timestamp? {
        if text.utf8.count == 10 {
            guard let date = CalendarDate(iso: text) else { return nil }
            return Timestamp(microsecondsSinceEpoch: date.startTimestamp.microsecondsSinceEpoch + 86_400_000_000 - 1)
        }
        return ISOTimestamp(parsing: text)?.timestamp
    }

    /// The views with these settings and cut-off, with a progress bar on a terminal: from the checkpoint when one is
    /// given and fits; else, for a view of the current state, from the views' snapshot kept beside a file store
    /// (``ViewSnapshot``) or in a PostgreSQL store's database (``DatabaseViewSnapshot``), which is then brought up to
    /// date; for an as-of or known-at view of a file store, from
    /// the latest snapshot that answers the cut-off (``ViewSnapshot/nearest(answering:settings:for:logger:)``),
    /// never saved; else replayed from the start.
    /// - Throws: the store's errors, ``ProjectionError``.
    func model<S: EventStore>(from store: S, at location: StoreLocation? = nil) async throws -> RegistryFold {
        let bar = TerminalProgress(unit: "events")
        defer { bar.finish() }
        var model = RegistryFold(settings: settings, cutoff: cutoff)
        var snapshot: (any ViewSnapshotStorage)?
        var snapshotPosition: LogPosition?
        var stamped: CutoffStamped<RegistryFold>?
        if let checkpoint {
            // A checkpoint of another log (its hashes differ), or with other settings, is not used.
            switch await CheckpointFile.load(RegistryFold.self, from: checkpoint, settings: settings, for: store) {
            case .success(let saved):
                model = saved
            case .failure(let refusal):
                Terminal.note("registry: warning: the checkpoint \(checkpoint) is not used: \(refusal); rebuilding from scratch")
            }
        } else if cutoff == .none, !noSnapshot, let location, let found = ViewSnapshot.storage(for: location, basis: basis) {
            snapshot = found
            stamped = CutoffStamped(model)
            if let saved = await found.load(settings: settings, for: store) {
                stamped = saved
                snapshotPosition = saved.position
            }
        } else if !noSnapshot, let location, let found = ViewSnapshot.location(for: location, basis: basis),
                  let start = await found.nearest(answering: cutoff, settings: settings, for: store) {
            model = start
        }
        if var current = stamped {
            // The current state, stamped so that the snapshot saved from it can later start cut-off views too.
            try await ProjectionEngine.catchUp(&current, from: store) { p in bar.update(done: p.events, fraction: p.fraction) }
            await snapshot?.save(current, previous: snapshotPosition, for: store)
            return current.base
        }
        try await ProjectionEngine.catchUp(&model, from: store) { p in
            bar.update(done: p.events, fraction: p.fraction)
        }
        return model
    }
}
