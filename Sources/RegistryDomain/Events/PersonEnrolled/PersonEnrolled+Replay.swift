import EventLog

// What a ``PersonEnrolled`` means to the replay (``PersonFact``), and its fast decoder: it reads the payload's bytes in
// place, in the order of `PersonEnrolled+Binary.swift`, skipping the fields the views never use (no allocation).
// `PersonFactTests` checks that both paths give the same fact.

extension PersonEnrolled {
    /// What the event means to the views.
    public var personFact: PersonFact { .enrolled(insuranceType, agency: division?.padded ?? 0) }

    /// Reads the fact straight from a current-version payload, skipping what the views never use.
    /// - Throws: ``EventFormatError`` on truncated or invalid bytes.
    @inlinable
    static func replayFact(from r: inout BinaryPayloadReader) throws(EventFormatError) -> PersonFact {
        let type = try InsuranceType.read(from: &r)
        _ = try EnrolmentRoute.read(from: &r)
        _ = try CreditCode?.read(from: &r)  // the employer
        return .enrolled(type, agency: try r.optionalPadded())
    }
}
