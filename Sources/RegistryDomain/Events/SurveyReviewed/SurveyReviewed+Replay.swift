import EventLog

// What a ``SurveyReviewed`` means to the replay (``PersonFact``), and its fast decoder: it reads the payload's bytes in
// place, in the order of `SurveyReviewed+Binary.swift`, skipping the fields the views never use (no allocation).
// `PersonFactTests` checks that both paths give the same fact.

extension SurveyReviewed {
    /// What the event means to the views.
    public var personFact: PersonFact { .reviewed(task: UUIDKey(taskID), level: level, decision: decision) }

    /// Reads the fact straight from a current-version payload, skipping what the views never use.
    /// - Throws: ``EventFormatError`` on truncated or invalid bytes.
    @inlinable
    static func replayFact(from r: inout BinaryPayloadReader) throws(EventFormatError) -> PersonFact {
        let task = try r.uuidKey()
        let level = try ReviewLevel.read(from: &r)
        return .reviewed(task: task, level: level, decision: try ReviewDecision.read(from: &r))
    }
}
