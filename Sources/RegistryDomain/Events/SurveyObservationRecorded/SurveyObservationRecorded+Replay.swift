import EventLog

// What a ``SurveyObservationRecorded`` means to the replay (``PersonFact``), and its fast decoder: it reads the payload's bytes in
// place, in the order of `SurveyObservationRecorded+Binary.swift`, skipping the fields the views never use (no allocation).
// `PersonFactTests` checks that both paths give the same fact.

extension SurveyObservationRecorded {
    /// What the event means to the views.
    public var personFact: PersonFact { .visited(task: UUIDKey(taskID), outcome: outcome) }

    /// Reads the fact straight from a current-version payload, skipping what the views never use.
    /// - Throws: ``EventFormatError`` on truncated or invalid bytes.
    @inlinable
    static func replayFact(from r: inout BinaryPayloadReader) throws(EventFormatError) -> PersonFact {
        let task = try r.uuidKey()
        let surveyors = try r.readVarint()
        for _ in 0..<surveyors { try r.skipString() }
        try r.skipString()  // device
        _ = try r.readInteger(Int64.self)  // visited at
        return .visited(task: task, outcome: try SurveyOutcome.read(from: &r))
    }
}
