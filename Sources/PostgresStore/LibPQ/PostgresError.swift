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

    /// The same failure as an ``EventLogError`` (``EventLogError/Code/ioFailure``, or
    /// ``EventLogError/Code/storeClosed``), with the SQLSTATE in its message.
    public var asEventLogError: EventLogError {
        EventLogError(code == .closed ? .storeClosed : .ioFailure, description)
    }
}
