/// The group-commit queue of `PostgresAppender` as a value: events in, actions out, no I/O, so every
/// interleaving is tested without a server or threads.
///
/// Calls queue while a transaction (a *drain*) or an exclusive job (an import) holds the writer; a drain takes
/// every waiting call up to a limit of events as one group. Generic over what a waiting party is (continuations
/// in the store, plain values in tests).
struct AppendQueue<Call, Closer, Exclusive> {
    /// A queued call and its size in events.
    struct Entry {
        var call: Call
        var events: Int
    }

    /// Who holds the writer.
    enum Holder: Equatable {
        case none, drain, exclusive
    }

    private(set) var entries: [Entry] = []
    private(set) var holder: Holder = .none
    private(set) var isClosed = false
    private var closers: [Closer] = []
    private var exclusiveWaiters: [Exclusive] = []

    init() {}

    /// What to do with a new call.
    enum SubmitAction: Equatable {
        /// Queued, and nobody holds the writer: start draining.
        case startDrain
        /// Queued behind the current holder.
        case queued
        /// The store is closed: refuse it.
        case refuse
    }

    /// Queues a call.
    mutating func submit(_ call: Call, events: Int) -> SubmitAction {
        if isClosed { return .refuse }
        entries.append(Entry(call: call, events: events))
        if holder != .none { return .queued }
        holder = .drain
        return .startDrain
    }

    /// What a drain does next.
    enum DrainAction {
        /// Commit these calls as one group.
        case commit([Entry])
        /// Nothing is left: the writer is free. Resume the closers, and let the exclusive waiters try again.
        case idle(closers: [Closer], exclusiveWaiters: [Exclusive])
    }

    /// Takes the next group: queued calls in order, as many as fit in `limit` events (at least one).
    mutating func nextGroup(limit: Int) -> DrainAction {
        precondition(holder == .drain, "only the drain takes groups")
        guard !entries.isEmpty else { return release() }
        var taken = 0, events = 0
        while taken < entries.count {
            let n = entries[taken].events
            if taken > 0, events + n > limit { break }
            events += n
            taken += 1
        }
        let group = Array(entries[..<taken])
        entries.removeFirst(taken)
        return .commit(group)
    }

    /// What an exclusive job does to begin.
    enum ExclusiveAction {
        /// It holds the writer: run.
        case run
        /// Wait; the waiter is resumed (to try again) when the writer is free.
        case wait
        /// The store is closed.
        case refuse
    }

    /// Asks for the writer for an exclusive job.
    mutating func acquireExclusive(_ waiter: Exclusive) -> ExclusiveAction {
        if isClosed { return .refuse }
        if holder == .none { holder = .exclusive; return .run }
        exclusiveWaiters.append(waiter)
        return .wait
    }

    /// What follows an exclusive job.
    enum ReleaseAction {
        /// Calls queued meanwhile: start draining them.
        case startDrain
        /// The writer is free.
        case idle(closers: [Closer], exclusiveWaiters: [Exclusive])
    }

    /// Ends an exclusive job.
    mutating func releaseExclusive() -> ReleaseAction {
        precondition(holder == .exclusive, "only an exclusive job releases")
        if !entries.isEmpty { holder = .drain; return .startDrain }
        if case .idle(let c, let e) = release() { return .idle(closers: c, exclusiveWaiters: e) }
        preconditionFailure("release() of an empty queue is idle")
    }

    /// Refuses new calls; `closer` is resumed at once (true) or when the writer is free (false: it waits).
    mutating func close(_ closer: Closer) -> Bool {
        isClosed = true
        if holder == .none { return true }
        closers.append(closer)
        return false
    }

    private mutating func release() -> DrainAction {
        holder = .none
        defer { closers = []; exclusiveWaiters = [] }
        return .idle(closers: closers, exclusiveWaiters: exclusiveWaiters)
    }
}
