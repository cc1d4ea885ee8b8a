import EventLog

// What a ``StatusMarked`` means to the replay (``PersonFact``), and its fast decoder: it reads the payload's bytes in
// place, in the order of `StatusMarked+Binary.swift`, skipping the fields the views never use (no allocation).
// `PersonFactTests` checks that both paths give the same fact.

extension StatusMarked {
    /// What the event means to the views.
    public var personFact: PersonFact { .marked(mark) }

    /// Reads the fact straight from a current-version payload, skipping what the views never use.
    /// - Throws: ``EventFormatError`` on truncated or invalid bytes.
    @inlinable
    static func replayFact(from r: inout BinaryPayloadReader) throws(EventFormatError) -> PersonFact {
        return .marked(try StatusMark.read(from: &r))
    }
}
