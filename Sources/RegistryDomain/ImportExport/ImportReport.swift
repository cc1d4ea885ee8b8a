import EventLog

/// What a JSON Lines import did with each line.
public struct ImportReport: Sendable, Hashable, CustomStringConvertible {
    /// What happened to one line.
    public enum Outcome: Sendable, Hashable {
        /// Appended at this global position.
        case accepted(position: LogPosition)
        /// Already in the log with the same content (a re-import): nothing written.
        case alreadyPresent(position: LogPosition)
        /// Refused: nothing appended for this line. `code` is the error or rule code, `reason` the message
        /// (never personal data).
        case rejected(code: String, reason: String)
    }

    /// One line's result.
    public struct Line: Sendable, Hashable {
        /// The 1-based line number in the input.
        public var number: Int
        /// What happened.
        public var outcome: Outcome

        /// Creates a line result.
        public init(number: Int, outcome: Outcome) {
            self.number = number
            self.outcome = outcome
        }

        /// Whether the line is in the log after the import (accepted now or earlier).
        public var isInLog: Bool {
            if case .rejected = outcome { return false }
            return true
        }
    }

    /// The code of a line not sent because an earlier line of its stream in the same batch was refused by the
    /// store: re-running the import retries it.
    public static let earlierLineRejected = "earlier-line-rejected"

    /// Every non-blank line in input order, or only the rejected ones when ``keepsEveryLine`` is false.
    public private(set) var lines: [Line] = []
    /// Whether accepted and already-present lines are kept in ``lines`` (true), or only counted (false: a report
    /// of ten million lines then stays small).
    public let keepsEveryLine: Bool
    /// Lines appended by this import.
    public private(set) var acceptedCount = 0
    /// Lines that were already in the log.
    public private(set) var alreadyPresentCount = 0
    /// Lines refused.
    public private(set) var rejectedCount = 0
    /// The global positions this import appended, as sorted, disjoint ranges (adjacent ones merged): exactly
    /// this import's records. Another writer appending at the same time (a second import into the same store)
    /// takes positions between them, so one lowest-to-highest range would claim records that are not this
    /// import's.
    public private(set) var appendedRanges: [ClosedRange<LogPosition>] = []

    /// Creates an empty report.
    /// - Parameter keepsEveryLine: whether to keep accepted lines too, not only the rejected ones.
    public init(keepsEveryLine: Bool = true) { self.keepsEveryLine = keepsEveryLine }

    /// Adds one line's result. A rejection's reason passes through `Masking/scrubbed(_:)`, the last guard
    /// against a number from the input in a message.
    public mutating func record(_ line: Line) {
        var line = line
        if case .rejected(let code, let reason) = line.outcome {
            line.outcome = .rejected(code: code, reason: Masking.scrubbed(reason))
        }
        switch line.outcome {
        case .accepted(let p):
            acceptedCount += 1
            addAppended(p)
        case .alreadyPresent: alreadyPresentCount += 1
        case .rejected: rejectedCount += 1
        }
        if keepsEveryLine || !line.isInLog { lines.append(line) }
    }

    /// Adds one appended position to ``appendedRanges``: usually just past the last range (a constant-time
    /// extension), otherwise placed by binary search.
    private mutating func addAppended(_ p: LogPosition) {
        if let last = appendedRanges.last, p > last.upperBound {
            if p == last.upperBound + 1 { appendedRanges[appendedRanges.count - 1] = last.lowerBound...p } else { appendedRanges.append(p...p) }
            return
        }
        // The first range ending at or after p.
        var lo = 0, hi = appendedRanges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if appendedRanges[mid].upperBound < p { lo = mid + 1 } else { hi = mid }
        }
        if lo < appendedRanges.count, appendedRanges[lo].contains(p) { return }
        let joinsPrevious = lo > 0 && appendedRanges[lo - 1].upperBound + 1 == p
        let joinsNext = lo < appendedRanges.count && appendedRanges[lo].lowerBound == p + 1
        switch (joinsPrevious, joinsNext) {
        case (true, true):
            appendedRanges[lo - 1] = appendedRanges[lo - 1].lowerBound...appendedRanges[lo].upperBound
            appendedRanges.remove(at: lo)
        case (true, false): appendedRanges[lo - 1] = appendedRanges[lo - 1].lowerBound...p
        case (false, true): appendedRanges[lo] = p...appendedRanges[lo].upperBound
        case (false, false): appendedRanges.insert(p...p, at: lo)
        }
    }

    /// The refused lines.
    public var rejected: [Line] { keepsEveryLine ? lines.filter { !$0.isInLog } : lines }

    /// `12 accepted, 0 already present, 3 rejected`.
    public var description: String {
        "\(acceptedCount) accepted, \(alreadyPresentCount) already present, \(rejectedCount) rejected"
    }
}
