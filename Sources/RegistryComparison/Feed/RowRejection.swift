/// A feed row that was not recorded: its line, a code and the reason, never the row's data.
public struct RowRejection: Sendable, Hashable, Codable, Error {
    /// Why a row was rejected: an open code.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible, Codable, Comparable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(rawValue)
        }
        public var description: String { rawValue }
        public static func < (a: Code, b: Code) -> Bool { a.rawValue < b.rawValue }

        /// The ID number is not a valid citizen ID number (length, characters, area, birth date, check character).
        public static let invalidIDNumber = Code(rawValue: "invalid-id-number")
        /// A division code is malformed, or not in the known divisions.
        public static let unknownDivision = Code(rawValue: "unknown-division")
        /// A date is not `YYYY-MM-DD`, not a real date, or after the feed's date.
        public static let badDate = Code(rawValue: "bad-date")
        /// A credit code is not a valid unified social credit code.
        public static let invalidCreditCode = Code(rawValue: "invalid-credit-code")
        /// A required field is blank.
        public static let missingField = Code(rawValue: "missing-field")
        /// A field holds a value outside its vocabulary.
        public static let badValue = Code(rawValue: "bad-value")
        /// The row has a different number of fields from the header.
        public static let wrongFieldCount = Code(rawValue: "wrong-field-count")
        /// An enrolment row names a person the registry has not registered.
        public static let notRegistered = Code(rawValue: "not-registered")
        /// The person has died: the rules refuse new facts about them.
        public static let personDeceased = Code(rawValue: "person-deceased")
        /// The person's stream changed under the run (another writer); a re-run records the row.
        public static let conflict = Code(rawValue: "conflict")
    }

    /// The row's line in the file (the header is line 1).
    public var line: Int
    /// Why.
    public var code: Code
    /// In words, naming the column, never the value.
    public var reason: String

    /// Creates a rejection.
    public init(line: Int, _ code: Code, _ reason: String) {
        self.line = line
        self.code = code
        self.reason = reason
    }
}
