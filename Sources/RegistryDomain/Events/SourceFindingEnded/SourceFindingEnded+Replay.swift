import EventLog

// What a ``SourceFindingEnded`` means to the replay (``PersonFact``), and its fast decoder: it reads the payload's
// bytes in place, in the order of `SourceFindingEnded+Binary.swift`. `PersonFactTests` checks both paths agree.

extension SourceFindingEnded {
    /// What the event means to the views.
    public var personFact: PersonFact { .findingEnded(finding) }

    /// Reads the fact straight from a current-version payload.
    /// - Throws: ``EventFormatError`` on truncated or invalid bytes.
    @inlinable
    static func replayFact(from r: inout BinaryPayloadReader) throws(EventFormatError) -> PersonFact {
        _ = try Department.read(from: &r)
        return .findingEnded(try SourceFinding.read(from: &r))
    }
}
