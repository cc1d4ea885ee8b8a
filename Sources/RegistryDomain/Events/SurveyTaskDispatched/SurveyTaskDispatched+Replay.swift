import EventLog

// What a ``SurveyTaskDispatched`` means to the replay (``PersonFact``), and its fast decoder: it reads the payload's bytes in
// place, in the order of `SurveyTaskDispatched+Binary.swift`, skipping the fields the views never use (no allocation).
// `PersonFactTests` checks that both paths give the same fact.

extension SurveyTaskDispatched {
    /// What the event means to the views.
    public var personFact: PersonFact { .taskDispatched(task: UUIDKey(taskID), division: division.padded) }

    /// Reads the fact straight from a current-version payload, skipping what the views never use.
    /// - Throws: ``EventFormatError`` on truncated or invalid bytes.
    @inlinable
    static func replayFact(from r: inout BinaryPayloadReader) throws(EventFormatError) -> PersonFact {
        let task = try r.uuidKey()
        return .taskDispatched(task: task, division: try DivisionCode.read(from: &r).padded)
    }
}
