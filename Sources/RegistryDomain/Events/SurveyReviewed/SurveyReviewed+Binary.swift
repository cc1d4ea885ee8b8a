import Foundation
import EventLog

// The binary payload form of ``SurveyReviewed``: the fields in declaration order, each in its `BinaryField` form
// (see BinaryPayloadWriter). The replay's fast decoder (`SurveyReviewed+Replay.swift`, where there is one) skips
// these same fields in this same order; `PersonFactTests` checks the two agree for every event type.

extension SurveyReviewed: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(taskID)
        writer.write(level)
        writer.write(decision)
        writer.write(reviewerID)
        writer.write(reason)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.taskID = try reader.read()
        self.level = try reader.read()
        self.decision = try reader.read()
        self.reviewerID = try reader.read()
        self.reason = try reader.read()
    }
}
