/// An error of a comparison or dispatch run as a whole (a bad row is not an error: it is a ``RowRejection``).
///
/// A struct with an open ``Code``, so a new kind is not a breaking change. Never carries personal data: it names
/// the file, a line or a column, never a value from a row.
public struct ComparisonError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of error.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible, Codable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The feed file cannot be opened or read.
        public static let unreadableFeed = Code(rawValue: "unreadable-feed")
        /// The file is not in the encoding given (or detected).
        public static let badEncoding = Code(rawValue: "bad-encoding")
        /// The header row lacks a required column, or repeats one.
        public static let badHeader = Code(rawValue: "bad-header")
        /// The CSV text is malformed (an unterminated quote, …).
        public static let malformedCSV = Code(rawValue: "malformed-csv")
        /// An option or argument is out of range (no feed date, an unknown feed kind, …).
        public static let invalidArgument = Code(rawValue: "invalid-argument")
        /// A team mapping or division list file is malformed.
        public static let badMapping = Code(rawValue: "bad-mapping")
    }

    /// The kind of error.
    public var code: Code
    /// What went wrong, in words, without personal data.
    public var message: String
    /// The file concerned, if any.
    public var file: String?
    /// The line concerned, if any.
    public var line: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, file: String? = nil, line: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    /// `bad-header: the header has no column id_number (in tax.csv, line 1)`.
    public var description: String {
        var where_: [String] = []
        if let file { where_.append("in \(file)") }
        if let line { where_.append("line \(line)") }
        return "\(code): \(message)" + (where_.isEmpty ? "" : " (" + where_.joined(separator: ", ") + ")")
    }
}
