import Foundation

/// Who and what caused an event: carried by every record.
///
/// The actor names who recorded the fact, such as `surveyor:S-0412` or `source:tax`: surveyors may not
/// fabricate records, so every fact says where it came from.
public struct EventMetadata: Hashable, Sendable {
    /// The longest actor, in UTF-8 bytes.
    public static let maximumActorLength = 255
    /// The most headers an event carries.
    public static let maximumHeaderCount = 1024
    /// The longest header key or value, in UTF-8 bytes.
    public static let maximumHeaderLength = 65_535
    /// Groups the events of one piece of work (an import run, a survey visit).
    public var correlationID: UUID?
    /// The event or command that caused this one.
    public var causationID: UUID?
    /// Who recorded it: a surveyor, a reviewer, a source department, an operator. At most 255 bytes, without
    /// U+0000 (no store keeps it).
    public var actor: String
    /// Free headers, such as `device` or `feed-line`. Keys of 1 to 65,535 bytes and values of at most 65,535,
    /// without U+0000.
    public var headers: [String: String]

    /// Creates metadata.
    public init(correlationID: UUID? = nil, causationID: UUID? = nil, actor: String = "", headers: [String: String] = [:]) {
        self.correlationID = correlationID
        self.causationID = causationID
        self.actor = actor
        self.headers = headers
    }

    /// Empty metadata.
    public static let none = EventMetadata()
}
