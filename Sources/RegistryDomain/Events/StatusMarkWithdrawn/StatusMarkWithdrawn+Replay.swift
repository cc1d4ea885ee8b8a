import EventLog

// What a ``StatusMarkWithdrawn`` means to the replay (``PersonFact``), and its fast decoder: it reads the payload's
// bytes in place, in the order of `StatusMarkWithdrawn+Binary.swift`. `PersonFactTests` checks both paths agree.

extension StatusMarkWithdrawn {
    /// What the event means to the views.
    public var personFact: PersonFact { .markWithdrawn(mark) }

    /// Reads the fact straight from a current-version payload.
    /// - Throws: ``EventFormatError`` on truncated or invalid bytes.
    @inlinable
    static func replayFact(from r: inout BinaryPayloadReader) throws(EventFormatError) -> PersonFact {
        .markWithdrawn(try StatusMark.read(from: &r))
    }
}
