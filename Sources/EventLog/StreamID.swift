/// The name of one stream of events, such as `person-120101198503170024`.
///
/// A stream id is 1 to 512 bytes of UTF-8 without control characters. Its **category** is the part before the
/// first `-` (the whole id when it has none): `person` for the example above. A category can be read as a whole.
///
/// - Important: A stream id may carry personal data (a citizen ID number). ``description`` and every error
///   show only the ``masked`` form; use ``rawValue`` where the full id is really needed.
public struct StreamID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The longest stream id, in UTF-8 bytes.
    public static let maximumLength = 512

    /// The full id.
    public let rawValue: String

    /// Creates a stream id, checking its form.
    /// - Parameter rawValue: 1 to 512 bytes of UTF-8 without control characters.
    /// - Throws: ``EventLogError`` with code ``EventLogError/Code/invalidStreamID``.
    public init(_ rawValue: String) throws(EventLogError) {
        let utf8 = rawValue.utf8
        guard !utf8.isEmpty, utf8.count <= Self.maximumLength else {
            throw EventLogError(.invalidStreamID, "a stream id must be 1 to \(Self.maximumLength) bytes long, got \(utf8.count)")
        }
        for byte in utf8 where byte < 0x20 || byte == 0x7F {
            throw EventLogError(.invalidStreamID, "a stream id must not contain control characters")
        }
        self.rawValue = rawValue
    }

    /// Creates a stream id from its category and the id within it: `category-id`.
    /// - Throws: ``EventLogError`` when the category contains `-` or the result is not a valid id.
    public init(category: String, id: String) throws(EventLogError) {
        guard !category.isEmpty, !category.utf8.contains(UInt8(ascii: "-")) else {
            throw EventLogError(.invalidStreamID, "a category must be non-empty and must not contain '-'")
        }
        try self.init(category + "-" + id)
    }

    /// Creates a stream id without checking its form: for stores reading back ids that were checked on append.
    public init(uncheckedRawValue: String) { self.rawValue = uncheckedRawValue }

    /// The part before the first `-`, or the whole id.
    public var category: Substring {
        if let dash = rawValue.firstIndex(of: "-") { return rawValue[..<dash] }
        return rawValue[...]
    }

    /// The id with its part after the category masked: `person-1201**********0024`.
    ///
    /// Keeps the first four and last four characters of an id part longer than eight characters, and masks
    /// a shorter one entirely.
    public var masked: String {
        guard let dash = rawValue.firstIndex(of: "-") else { return rawValue }
        let rest = rawValue[rawValue.index(after: dash)...]
        return String(rawValue[...dash]) + Masking.mask(rest)
    }

    public var description: String { masked }

    public static func < (lhs: StreamID, rhs: StreamID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Masking of identifiers for display: what every error and log line uses.
public enum Masking {
    /// Keeps the first four and last four characters of a value longer than eight characters and replaces the
    /// rest with `*`; a value of eight characters or fewer becomes all `*`.
    public static func mask<S: StringProtocol>(_ value: S) -> String {
        let chars = Array(value)
        guard chars.count > 8 else { return String(repeating: "*", count: chars.count) }
        return String(chars[..<4]) + String(repeating: "*", count: chars.count - 8) + String(chars[(chars.count - 4)...])
    }
}
