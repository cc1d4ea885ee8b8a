import Foundation
import EventLog

// The binary payload form of ``PersonalDataRevealed``: the fields in declaration order, each in its `BinaryField` form
// (see BinaryPayloadWriter). The replay's fast decoder (`PersonalDataRevealed+Replay.swift`, where there is one) skips
// these same fields in this same order; `PersonFactTests` checks the two agree for every event type.

extension PersonalDataRevealed: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(subject)
        writer.write(fields)
        writer.write(viewer)
        writer.write(reason)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.subject = try reader.read()
        self.fields = try reader.read()
        self.viewer = try reader.read()
        self.reason = try reader.read()
    }
}
