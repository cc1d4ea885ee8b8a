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

    /// The id with its part after the category masked: `person-1201**********0024` (``Masking/mask(_:)``).
    ///
    /// The category is shown only when it is 1 to 32 ASCII letters; otherwise (no `-`, as in
    /// `person120101…`, or digits or other text before it) the whole id is masked, so no id shows a value whole.
    public var masked: String {
        if let dash = rawValue.firstIndex(of: "-") {
            let category = rawValue.utf8[..<dash]
            if category.count <= 32, category.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) {
                return String(rawValue[...dash]) + Masking.mask(rawValue[rawValue.index(after: dash)...])
            }
        }
        return Masking.mask(rawValue)
    }

    public var description: String { masked }

    public static func < (lhs: StreamID, rhs: StreamID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Masking of identifiers for display: what every error and log line uses (ID numbers, certificate numbers,
/// the key part of stream ids).
///
/// The policy (DESIGN.md, "Personal data"): no whole value, and a bounded length that does not tell the value's.
public enum Masking {
    /// The stars standing for the hidden part, whatever its length.
    public static let stars = "**********"

    /// An identifier-like value (ASCII letters and digits only) of 15 characters or more keeps its first four
    /// and last four characters around ten `*` (an 18-character citizen ID: `1201**********0024`); any other
    /// value (shorter, empty, or holding other characters, such as a name typed where an ID belongs) becomes ten
    /// `*`.
    public static func mask<S: StringProtocol>(_ value: S) -> String {
        let u = value.utf8
        guard u.count >= 15,
              u.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else { return stars }
        let chars = Array(value)
        return String(chars[..<4]) + stars + String(chars[(chars.count - 4)...])
    }

    /// Text with every run of 11 or more digits (an ID number, a phone number; a trailing `X` counts) masked by
    /// ``mask(_:)``: the last guard on messages built from anything but fixed text.
    public static func scrubbed(_ text: String) -> String {
        let u = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(u.count)
        var i = 0
        while i < u.count {
            guard (0x30...0x39).contains(u[i]) else { out.append(u[i]); i += 1; continue }
            var j = i
            while j < u.count, (0x30...0x39).contains(u[j]) { j += 1 }
            if j < u.count, u[j] == UInt8(ascii: "X") || u[j] == UInt8(ascii: "x") { j += 1 }
            let run = u[i..<j]
            if run.count >= 11 {
                out.append(contentsOf: mask(String(decoding: run, as: UTF8.self)).utf8)
            } else {
                out.append(contentsOf: run)
            }
            i = j
        }
        return String(decoding: out, as: UTF8.self)
    }
}
