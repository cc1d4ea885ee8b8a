/// The group-commit state machine: appenders enqueue jobs; one drain at a time takes *every* job waiting, so a
/// single write and fsync serves all appends that arrived while the previous fsync ran.
///
/// A value type without I/O that returns what to do next; the store performs the actions.
struct GroupCommitQueue<Job> {
    enum EnqueueAction: Equatable {
        /// No drain is running: start one.
        case startDrain
        /// A drain is running and will pick the job up.
        case none
    }

    private(set) var pending: [Job] = []
    private(set) var draining = false

    /// Adds a job.
    mutating func enqueue(_ job: Job) -> EnqueueAction {
        pending.append(job)
        if draining { return .none }
        draining = true
        return .startDrain
    }

    /// Takes every waiting job for one commit; an empty result ends the drain.
    mutating func takeAll() -> [Job] {
        if pending.isEmpty {
            draining = false
            return []
        }
        defer { pending = [] }
        return pending
    }
}
