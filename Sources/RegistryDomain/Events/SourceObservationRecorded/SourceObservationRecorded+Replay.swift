import EventLog

// What a ``SourceObservationRecorded`` means to the replay (``PersonFact``), and its fast decoder: it reads the payload's bytes in
// place, in the order of `SourceObservationRecorded+Binary.swift`, skipping the fields the views never use (no allocation).
// `PersonFactTests` checks that both paths give the same fact.

extension SourceObservationRecorded {
    /// What the event means to the views.
    public var personFact: PersonFact { .observed(finding) }

    /// Reads the fact straight from a current-version payload, skipping what the views never use.
    /// - Throws: ``EventFormatError`` on truncated or invalid bytes.
    @inlinable
    static func replayFact(from r: inout BinaryPayloadReader) throws(EventFormatError) -> PersonFact {
        _ = try Department.read(from: &r)
        return .observed(try SourceFinding.read(from: &r))
    }
}
