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

    /// Every non-blank line, in input order.
    public var lines: [Line] = []

    /// Creates an empty report.
    public init() {}

    /// Lines appended by this import.
    public var acceptedCount: Int { lines.count { if case .accepted = $0.outcome { true } else { false } } }
    /// Lines that were already in the log.
    public var alreadyPresentCount: Int { lines.count { if case .alreadyPresent = $0.outcome { true } else { false } } }
    /// Lines refused.
    public var rejectedCount: Int { lines.count { !$0.isInLog } }
    /// The refused lines.
    public var rejected: [Line] { lines.filter { !$0.isInLog } }

    /// `12 accepted, 0 already present, 3 rejected`.
    public var description: String {
        "\(acceptedCount) accepted, \(alreadyPresentCount) already present, \(rejectedCount) rejected"
    }
}
