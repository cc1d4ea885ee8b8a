import EventLog

/// Why an event could not be decoded from its binary or JSON form, or encoded into a stream.
///
/// A struct with an open ``Code``; matches like `EventLogError`.
///
/// - Important: Messages name fields, offsets and line numbers, never personal values.
public struct EventFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of error.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// The code's stable name.
        public var rawValue: String
        /// Creates a code.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's stable name.
        public var description: String { rawValue }

        /// The event type is not one of the registry's.
        public static let unknownType = Code(rawValue: "unknown-type")
        /// The schema version of a known type is not one this build reads.
        public static let unsupportedVersion = Code(rawValue: "unsupported-version")
        /// The binary payload is truncated, too long, or holds an impossible value.
        public static let malformedPayload = Code(rawValue: "malformed-payload")
        /// The JSON form is not valid JSON or misses a field.
        public static let malformedJSON = Code(rawValue: "malformed-json")
        /// The event does not belong in the stream given (wrong category or another person's id).
        public static let wrongStream = Code(rawValue: "wrong-stream")
    }

    /// The kind of error.
    public var code: Code
    /// What went wrong, without personal data.
    public var message: String
    /// The stream concerned, if known (shown masked).
    public var stream: StreamID?

    /// Creates an error.
    public init(_ code: Code, _ message: String, stream: StreamID? = nil) {
        self.code = code
        self.message = message
        self.stream = stream
    }

    /// `malformed-payload: ... [stream person-1201**********0024]`
    public var description: String {
        var text = "\(code): \(message)"
        if let stream { text += " [stream \(stream.masked)]" }
        return text
    }
}
