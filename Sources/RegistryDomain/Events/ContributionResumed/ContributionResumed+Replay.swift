import EventLog

// What a ``ContributionResumed`` means to the replay (``PersonFact``), and its fast decoder: it reads the payload's bytes in
// place, in the order of `ContributionResumed+Binary.swift`, skipping the fields the views never use (no allocation).
// `PersonFactTests` checks that both paths give the same fact.

extension ContributionResumed {
    /// What the event means to the views.
    public var personFact: PersonFact { .resumed(insuranceType) }

    /// Reads the fact straight from a current-version payload, skipping what the views never use.
    /// - Throws: ``EventFormatError`` on truncated or invalid bytes.
    @inlinable
    static func replayFact(from r: inout BinaryPayloadReader) throws(EventFormatError) -> PersonFact {
        return .resumed(try InsuranceType.read(from: &r))
    }
}
