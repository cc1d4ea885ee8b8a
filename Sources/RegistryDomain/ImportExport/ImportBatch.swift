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

    /// Lines read but not yet parsed: their bytes one after another in one array (no array per line), and where
    /// each starts and ends. Lines are numbered consecutively from ``firstNumber``, blank ones included.
    struct LineChunk: Sendable {
        /// The number of the first line.
        var firstNumber: Int
        /// The lines' bytes, without their newlines.
        var bytes: [UInt8] = []
        /// Each line's start and end in ``bytes``, one pair per line.
        var bounds: [Int] = []

        /// The lines held.
        var count: Int { bounds.count / 2 }

        /// Reads up to `limit` lines with `appendLine`, which appends one line's bytes and returns false at the end.
        /// - Returns: nil when no line was left.
        static func read(firstNumber: Int, limit: Int, capacity: Int, _ appendLine: (inout [UInt8]) throws -> Bool) rethrows -> LineChunk? {
            var chunk = LineChunk(firstNumber: firstNumber)
            chunk.bytes.reserveCapacity(capacity)
            chunk.bounds.reserveCapacity(2 * limit)
            while chunk.count < limit {
                let start = chunk.bytes.count
                guard try appendLine(&chunk.bytes) else { break }
                chunk.bounds.append(start)
                chunk.bounds.append(chunk.bytes.count)
            }
            return chunk.count == 0 ? nil : chunk
        }
    }

    /// A line read and checked on its own (form, identifiers, stream, store limits), not yet judged by the rules:
    /// the line and its proposed event, or its rejection.
    struct Parsed: Sendable {
        var number: Int
        var line: JSONEventLine?
        var proposed: ProposedEvent?
        var rejection: ImportReport.Outcome?
    }

    /// A parsed chunk, handed from the task that parsed it to the importer, which then owns it alone and moves
    /// the lines out of it (a box, so that taking a line out neither copies the array nor retains its fields).
    final class ParsedChunk: @unchecked Sendable {
        var lines: [Parsed]
        init(_ lines: [Parsed]) { self.lines = lines }
    }

    /// Parses a chunk's lines: what depends on the line alone, so that it can run on another core while the
    /// previous chunk is judged. Blank lines are skipped (and keep their numbers).
    ///
    /// The fast path (``JSONLineDecoder``) reads a line straight from its bytes; a line it does not take (any fault,
    /// or a form it leaves to the full reader) is read by the full path (`StrictJSON`, then `JSONDecoder`), which
    /// names the fault.
    static func parse(_ chunk: LineChunk) -> [Parsed] {
        let fast = JSONLineDecoder()
        var decoder: JSONDecoder?
        var out: [Parsed] = []
        out.reserveCapacity(chunk.count)
        chunk.bytes.withUnsafeBufferPointer { all in
            for k in 0..<chunk.count {
                let number = chunk.firstNumber + k
                let bytes = UnsafeBufferPointer(rebasing: all[chunk.bounds[2 * k]..<chunk.bounds[2 * k + 1]])
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                do throws(EventFormatError) {
                    let line: JSONEventLine
                    if let quick = fast.eventLine(bytes: bytes) {
                        line = quick
                    } else {
                        let full = decoder ?? JSONDecoder()
                        decoder = full
                        line = try JSONEventLine.parse(bytes: Array(bytes), using: full)
                    }
                    try line.checkStream()
                    let proposed = line.proposed
                    try line.checkStoreLimits(proposed)
                    out.append(Parsed(number: number, line: line, proposed: proposed, rejection: nil))
                } catch {
                    out.append(Parsed(number: number, line: nil, proposed: nil, rejection: .rejected(code: error.code.rawValue, reason: error.description)))
                }
            }
        }
        return out
    }

    /// The state followed for one stream during an import.
    struct Followed {
        var person = PersonState()
        var employer = EmployerState()
        var version: StreamVersion?
        /// The stream's event ids in the log when it was read (moved into ``Tracker/knownIDs`` once it has a slot).
        var ids: [UUID] = []
        /// Whether the state came from ``JSONLinesImporter/personStates`` rather than a read: its ids in the log are
        /// then not in ``Tracker/knownIDs`` and are asked for line by line (``EventStore/holdsEvents(_:on:)``).
        var fromSource = false
        /// Whether the person has survey tasks the state from the source does not hold: read from the stream before
        /// the first survey line is judged.
        var tasksUnread = false
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
        /// The event ids each followed stream holds in the log or has sent, by slot: one set for all streams (not
        /// a set per stream, which allocated as each new stream grew). A dropped slot's keys stay until
        /// ``reset()`` but are never looked up again, since slots are not reused before it.
        var knownIDs: Set<BatchKey> = []
        /// Streams not followed that the store said it does not hold (``JSONLinesImporter`` asks once per chunk,
        /// ``EventStore/streamVersions(_:)``): the first line of each is judged on an empty state without reading
        /// the stream, and takes it out of this set. Only unfollowed streams are asked, and none of them has a
        /// line in flight, so the answer still holds when their first line is judged.
        var absent: Set<StreamID> = []
        /// Streams not followed whose state the source gave (``JSONLinesImporter/personStates``) for the chunk being
        /// judged: the first line of each is judged on it and takes it out of this set. Emptied after the chunk.
        var presumed: [StreamID: Followed] = [:]
        /// Streams the store refused a line of: never taken from the source (read again, as before).
        var unsourced: Set<StreamID> = []
        /// Set when the followed states were dropped (``reset()``): a stream this import appended to is then not
        /// known as such, so the source is no longer asked.
        var sourceRetired = false
        /// The known person streams read so far (``JSONLinesImporter/personStatesAfter``).
        var personReads = 0

        /// Follows a stream read from the store in a new slot.
        mutating func follow(_ stream: StreamID, _ f: Followed) -> Int {
            let slot = states.count
            var f = f
            for id in f.ids { knownIDs.insert(BatchKey(id: id, slot: slot)) }
            f.ids = []
            states.append(f)
            slots[stream] = slot
            return slot
        }

        mutating func reset() {
            slots.removeAll()
            states.removeAll()
            batchIDs.removeAll()
            knownIDs.removeAll()
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
    /// The proposed events are moved out of `pending` into the requests (the batch keeps its numbers and outcomes).
    static func prepare(_ pending: inout [Pending], checkRules: Bool, tracker: inout Tracker) -> [[Sent]] {
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
        var sent: [[Sent]] = []
        sent.reserveCapacity(rounds.count)
        for round in rounds {
            var requests: [Sent] = []
            requests.reserveCapacity(round.count)
            for i in round {
                var expected = ExpectedVersion.any
                let s = pending[i].slot
                if s >= 0, tracker.knownIDs.insert(BatchKey(id: pending[i].line!.id, slot: s)).inserted {
                    expected = tracker.states[s].version.map { .exactly($0) } ?? .noStream
                    tracker.states[s].version = tracker.states[s].version.map { $0 + 1 } ?? 0
                }
                let proposed = pending[i].proposed.take()!
                requests.append(Sent(index: i, append: StreamAppend(stream: pending[i].line!.stream, expected: expected, events: [proposed])))
            }
            sent.append(requests)
        }
        return sent
    }
}
