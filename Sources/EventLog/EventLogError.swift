/// An error of the event log: what went wrong, and where.
///
/// Errors are a struct with an open ``Code`` rather than a frozen enum, so a new kind of error is not a
/// breaking change; match on ``code``:
///
/// ```swift
/// catch let error as EventLogError where error.code == .wrongExpectedVersion { retry() }
/// ```
///
/// - Important: No error carries personal data: streams appear masked in ``description``.
public struct EventLogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of error.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The stream was not at the version the append expected; nothing was appended.
        public static let wrongExpectedVersion = Code(rawValue: "wrong-expected-version")
        /// An event id already in the log was offered again in another stream, or in its stream with different
        /// content; nothing was appended.
        public static let duplicateEventID = Code(rawValue: "duplicate-event-id")
        /// A stream id is malformed.
        public static let invalidStreamID = Code(rawValue: "invalid-stream-id")
        /// An event is malformed (empty type, payload too large, no events, ...); nothing was appended.
        public static let invalidEvent = Code(rawValue: "invalid-event")
        /// A stored record failed its checksum or its framing: damage, reported with its place.
        public static let corruptRecord = Code(rawValue: "corrupt-record")
        /// The hash chain does not link: the log was altered at or before the reported position.
        public static let hashChainBroken = Code(rawValue: "hash-chain-broken")
        /// Another process holds the store for writing.
        public static let storeLocked = Code(rawValue: "store-locked")
        /// The store was closed.
        public static let storeClosed = Code(rawValue: "store-closed")
        /// The store's files or schema have a format this version does not read.
        public static let unsupportedFormat = Code(rawValue: "unsupported-format")
        /// The operating system or the database reported a failure.
        public static let ioFailure = Code(rawValue: "io-failure")
        /// The store is opened read-only.
        public static let readOnly = Code(rawValue: "read-only")
        /// There is no store where one was to be opened for reading (an empty directory, or one of other files).
        public static let storeNotFound = Code(rawValue: "store-not-found")
        /// A setting or argument is out of range.
        public static let invalidArgument = Code(rawValue: "invalid-argument")
    }

    /// The kind of error.
    public var code: Code
    /// What went wrong, in words, without personal data.
    public var message: String
    /// The stream concerned, if any (shown masked).
    public var stream: StreamID?
    /// The global position concerned, if any.
    public var position: LogPosition?
    /// A place in storage, such as `segment 00000003 offset 40960`, if any.
    public var location: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, stream: StreamID? = nil, position: LogPosition? = nil, location: String? = nil) {
        self.code = code
        self.message = message
        self.stream = stream
        self.position = position
        self.location = location
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let stream { text += " [stream \(stream.masked)]" }
        if let position { text += " [position \(position)]" }
        if let location { text += " [\(location)]" }
        return text
    }
}
