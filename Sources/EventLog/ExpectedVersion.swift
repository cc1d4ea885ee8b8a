/// A stream version: the 0-based index of an event within its stream.
public typealias StreamVersion = UInt64

/// A global position: the 1-based index of a record in the whole log, strictly increasing in commit order
/// and without gaps.
public typealias LogPosition = UInt64

/// What an append expects of its stream, checked atomically with the write.
public enum ExpectedVersion: Hashable, Sendable, CustomStringConvertible {
    /// Append whatever the stream holds.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream must exist, whatever its version.
    case streamExists
    /// The stream's last event must have exactly this version.
    case exactly(StreamVersion)

    /// Whether a stream whose last version is `current` (nil: no stream) satisfies this expectation.
    @inlinable
    public func isSatisfied(byCurrent current: StreamVersion?) -> Bool {
        switch self {
        case .any: return true
        case .noStream: return current == nil
        case .streamExists: return current != nil
        case .exactly(let v): return current == v
        }
    }

    public var description: String {
        switch self {
        case .any: return "any"
        case .noStream: return "no stream"
        case .streamExists: return "stream exists"
        case .exactly(let v): return "version \(v)"
        }
    }
}
