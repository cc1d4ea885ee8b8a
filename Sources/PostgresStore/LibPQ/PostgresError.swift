import EventLog

/// A failure reported by libpq or by the PostgreSQL server.
///
/// Carries the server's SQLSTATE and its primary message only: the server's DETAIL and HINT fields can quote
/// row values (a stream id, a payload), so they are never kept.
///
/// Match on ``code`` or ``sqlState``:
/// ```swift
/// catch let error as PostgresError where error.sqlState == "40001" { retry() }
/// ```
public struct PostgresError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// The code's name.
        public var rawValue: String
        /// Creates a code.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The connection could not be made or was lost.
        public static let connection = Code(rawValue: "connection")
        /// The server rejected a statement (see ``PostgresError/sqlState``).
        public static let server = Code(rawValue: "server")
        /// The server answered something this client did not expect.
        public static let protocolViolation = Code(rawValue: "protocol")
        /// The connection was closed by this process.
        public static let closed = Code(rawValue: "closed")
    }

    /// The kind of failure.
    public var code: Code
    /// The five-character SQLSTATE, when the server sent one (such as `23505` for a unique violation).
    public var sqlState: String?
    /// The server's or libpq's primary message, without DETAIL or HINT.
    public var message: String
    /// What this client was doing, such as `append: copy rows`.
    public var context: String?
    /// The constraint concerned, when the server named one.
    public var constraint: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, sqlState: String? = nil, context: String? = nil, constraint: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.context = context
        self.constraint = constraint
    }

    public var description: String {
        var text = "PostgreSQL \(code)"
        if let sqlState { text += " SQLSTATE \(sqlState)" }
        text += ": \(message)"
        if let constraint { text += " (constraint \(constraint))" }
        if let context { text += " [\(context)]" }
        return text
    }

    /// The same failure as an `EventLogError`, with the SQLSTATE in its message:
    /// `EventLogError/Code/unavailable` when no connection could be made (server down, refused, timed out),
    /// `EventLogError/Code/permissionDenied` for SQLSTATE 42501 (insufficient privilege),
    /// `EventLogError/Code/storeClosed` after close, `EventLogError/Code/ioFailure` otherwise (a connection lost
    /// mid-transaction included: whether it committed is then unknown to this process).
    public var asEventLogError: EventLogError {
        let mapped: EventLogError.Code
        if code == .closed {
            mapped = .storeClosed
        } else if code == .connection, context == Self.connectContext {
            mapped = .unavailable
        } else if sqlState == "42501" {
            mapped = .permissionDenied
        } else {
            mapped = .ioFailure
        }
        return EventLogError(mapped, description)
    }

    /// The context of a failure to connect.
    static let connectContext = "connect"
}
