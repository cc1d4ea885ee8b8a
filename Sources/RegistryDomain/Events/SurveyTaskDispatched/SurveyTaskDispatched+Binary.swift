import Foundation
import EventLog

// The binary payload form of ``SurveyTaskDispatched``: the fields in declaration order, each in its `BinaryField` form
// (see BinaryPayloadWriter). The replay's fast decoder (`SurveyTaskDispatched+Replay.swift`, where there is one) skips
// these same fields in this same order; `PersonFactTests` checks the two agree for every event type.

extension SurveyTaskDispatched: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(taskID)
        writer.write(division)
        writer.write(reason)
        writer.write(assignee)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.taskID = try reader.read()
        self.division = try reader.read()
        self.reason = try reader.read()
        self.assignee = try reader.read()
    }
}
