import EventLog
import Foundation

/// The working state of one ``JSONLinesImporter`` run: the lines of a batch, the streams followed, what is sent.
enum ImportBatch {
    /// A parsed line waiting for its batch: the line and its proposed event, or its rejection.
    struct Pending: Sendable {
        var number: Int
        /// The line, when it was read (also when the rules refused it: it may be judged again).
        var line: JSONEventLine?
        var proposed: ProposedEvent?
        var rejection: ImportReport.Outcome?
        /// The slot of the stream's followed state (rule-checked lines only).
        var slot: Int = -1
    }

    /// The state followed for one stream during an import.
    struct Followed {
        var person = PersonState()
        var employer = EmployerState()
        var version: StreamVersion?
        var ids: Set<UUID> = []
    }

    /// An event id among the current batch's lines of the stream followed in a slot.
    struct BatchKey: Hashable {
        var id: UUID
        var slot: Int
    }

    /// The streams followed through one import: each stream's state is read from the store once, kept in a slot
    /// and changed in place as lines are judged and appended.
    struct Tracker {
        /// The slot of each followed stream.
        var slots: [StreamID: Int] = [:]
        /// The states, by slot (a slot whose stream was dropped stays unused until ``reset()``).
        var states: [Followed] = []
        /// The ids of the batch being judged, by the slot of their stream.
        var batchIDs: Set<BatchKey> = []

        mutating func reset() {
            slots.removeAll()
            states.removeAll()
            batchIDs.removeAll()
        }
    }

    /// One line of a batch as sent: its index in the batch and its request.
    struct Sent: Sendable {
        var index: Int
        var append: StreamAppend
    }

    /// What the store made of a batch: an outcome per sent line (by index in the batch), and the streams it refused
    /// a line of.
    struct Sending: Sendable {
        var outcomes: [(index: Int, outcome: ImportReport.Outcome)] = []
        var refused: Set<StreamID> = []
    }

    /// Plans a batch: with rules, a stream's k-th line of the batch goes in round k, so that a line is sent only
    /// once the lines it was judged after are in the log; without rules, one round keeps the store call single.
    /// A rule-checked line expects the version it was judged against, and its id joins its stream's.
    static func prepare(_ pending: [Pending], checkRules: Bool, tracker: inout Tracker) -> [[Sent]] {
        var depthBySlot: [Int: Int] = [:]
        var depthByStream: [StreamID: Int] = [:]  // rule-checked lines without a slot (audit)
        var rounds: [[Int]] = [[]]
        rounds[0].reserveCapacity(pending.count)
        for i in pending.indices where pending[i].rejection == nil {
            var round = 0
            if checkRules {
                let s = pending[i].slot
                if s >= 0 {
                    round = depthBySlot[s, default: 0]
                    depthBySlot[s] = round + 1
                } else {
                    let stream = pending[i].line!.stream
                    round = depthByStream[stream, default: 0]
                    depthByStream[stream] = round + 1
                }
            }
            if rounds.count <= round { rounds.append([]) }
            rounds[round].append(i)
        }
        return rounds.map { round in
            round.map { i in
                let line = pending[i].line!
                var expected = ExpectedVersion.any
                let s = pending[i].slot
                if s >= 0, !tracker.states[s].ids.contains(line.id) {
                    expected = tracker.states[s].version.map { .exactly($0) } ?? .noStream
                    tracker.states[s].ids.insert(line.id)
                    tracker.states[s].version = tracker.states[s].version.map { $0 + 1 } ?? 0
                }
                return Sent(index: i, append: StreamAppend(stream: line.stream, expected: expected, events: [pending[i].proposed!]))
            }
        }
    }
}
