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
        /// The JSON form is not valid RFC 8259 JSON, or not one object.
        public static let malformedJSON = Code(rawValue: "malformed-json")
        /// The event does not belong in the stream given (wrong category or another person's id).
        public static let wrongStream = Code(rawValue: "wrong-stream")
        /// A line is not UTF-8: a string holds bytes that are not well-formed UTF-8.
        public static let invalidUTF8 = Code(rawValue: "invalid-utf8")
        /// A `\u` escape is half of a surrogate pair.
        public static let loneSurrogate = Code(rawValue: "lone-surrogate")
        /// A key appears twice in one JSON object.
        public static let duplicateKey = Code(rawValue: "duplicate-key")
        /// A required field is missing.
        public static let missingField = Code(rawValue: "missing-field")
        /// A field has the wrong JSON type, a number out of range, a value outside its vocabulary or form.
        public static let invalidField = Code(rawValue: "invalid-field")
        /// A citizen ID number in `data` breaks a rule of GB 11643 (the message gives the rule, not the number).
        public static let invalidCitizenID = Code(rawValue: "invalid-citizen-id")
        /// A unified social credit code in `data` breaks a rule of GB 32100.
        public static let invalidCreditCode = Code(rawValue: "invalid-credit-code")
        /// A division code in `data` is malformed.
        public static let invalidDivisionCode = Code(rawValue: "invalid-division-code")
        /// An insurance type is neither a name nor a code of the default table.
        public static let invalidInsuranceType = Code(rawValue: "invalid-insurance-type")
        /// The `stream` is not a registry stream (unknown category, an id that is not a valid citizen ID, credit
        /// code or date, no `-`, control characters, too long).
        public static let invalidStream = Code(rawValue: "invalid-stream")
        /// The `stream` names a valid person or employer, but not in its canonical form (a lower-case `x` check
        /// character, a 15-digit legacy ID): streams are keys and are never rewritten.
        public static let nonCanonicalStream = Code(rawValue: "non-canonical-stream")
        /// The line exceeds a limit the store enforces (actor over 255 bytes, a header key or value over 65,535
        /// bytes, more than 1,024 headers, a payload over 16 MiB).
        public static let exceedsStoreLimit = Code(rawValue: "exceeds-store-limit")
        /// The data breaks a consistency rule of its event (such as more unenrolled staff than staff).
        public static let inconsistentData = Code(rawValue: "inconsistent-data")
        /// The event breaks the log's contract (`RecordFormat/validate(_:)`, the check every store makes at
        /// append) in a way no more specific code names; the same name as the store's code.
        public static let invalidEvent = Code(rawValue: "invalid-event")
        /// The line's stream holds, in the log, an event this build cannot read (a newer schema version, or
        /// damage): the rules cannot be checked against it.
        public static let unreadableStream = Code(rawValue: "unreadable-stream")

        /// Every code this build produces, for the rejection catalogue (docs/REJECTIONS.md).
        public static let all: [Code] = [
            .unknownType, .unsupportedVersion, .malformedPayload, .malformedJSON, .wrongStream, .invalidUTF8,
            .loneSurrogate, .duplicateKey, .missingField, .invalidField, .invalidCitizenID, .invalidCreditCode,
            .invalidDivisionCode, .invalidInsuranceType, .invalidStream, .nonCanonicalStream, .exceedsStoreLimit,
            .inconsistentData, .unreadableStream, .invalidEvent,
        ]
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
