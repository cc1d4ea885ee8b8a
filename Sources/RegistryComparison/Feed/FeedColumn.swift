/// One column of a feed: its header name, what it holds, and whether every file must have it.
public struct FeedColumn: Sendable, Hashable, Codable {
    /// The header name, as it must appear in the header row.
    public var name: String
    /// What the column holds.
    public var meaning: String
    /// Whether the header row must have it (a present column may still be blank where the meaning allows).
    public var required: Bool

    /// Creates a column description.
    public init(_ name: String, _ meaning: String, required: Bool = true) {
        self.name = name
        self.meaning = meaning
        self.required = required
    }
}
