/// Why a text is not a valid identifier (citizen ID number, credit code, division code, insurance code).
///
/// A struct with an open ``Code``, like `EventLogError`, so a new kind of error is not a breaking change:
///
/// ```swift
/// catch let error as IdentifierError where error.code == .invalidCheckCharacter { ... }
/// ```
///
/// - Important: The ``message`` never carries the rejected value: an identifier is personal data. It names the
///   identifier kind, the rule and at most a position or length.
public struct IdentifierError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of error.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// The code's stable name.
        public var rawValue: String
        /// Creates a code.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's stable name.
        public var description: String { rawValue }

        /// The text has the wrong number of characters.
        public static let wrongLength = Code(rawValue: "wrong-length")
        /// A character is outside the identifier's character set.
        public static let invalidCharacter = Code(rawValue: "invalid-character")
        /// The check character does not match the one computed from the other characters.
        public static let invalidCheckCharacter = Code(rawValue: "invalid-check-character")
        /// The area or division part is impossible (such as province `00`).
        public static let invalidAreaCode = Code(rawValue: "invalid-area-code")
        /// The embedded birth date is not a real calendar date (such as 2001-02-29).
        public static let invalidDate = Code(rawValue: "invalid-date")
        /// The embedded birth date lies after today.
        public static let futureDate = Code(rawValue: "future-date")
        /// A code is unknown to the configured table.
        public static let unknownCode = Code(rawValue: "unknown-code")
        /// A table or list is inconsistent (duplicate or missing entries).
        public static let invalidTable = Code(rawValue: "invalid-table")
    }

    /// Which identifier was being read.
    public enum Kind: String, Sendable, Hashable {
        /// A citizen ID number (GB 11643).
        case citizenID = "citizen ID number"
        /// A unified social credit code (GB 32100).
        case creditCode = "unified social credit code"
        /// An administrative division code (GB/T 2260 and extensions).
        case divisionCode = "division code"
        /// An insurance type or its numeric code.
        case insuranceType = "insurance type"
        /// A calendar date or time.
        case date = "date"
    }

    /// The kind of error.
    public var code: Code
    /// Which identifier was being read.
    public var kind: Kind
    /// What went wrong, in words, without the value itself.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ kind: Kind, _ message: String) {
        self.code = code
        self.kind = kind
        self.message = message
    }

    /// `invalid-check-character: citizen ID number: ...`
    public var description: String { "\(code): \(kind.rawValue): \(message)" }
}
