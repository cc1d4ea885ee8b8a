import Foundation
import EventLog

// The binary payload form of ``PersonDataCorrected``: the fields in declaration order, each in its `BinaryField` form
// (see BinaryPayloadWriter). The replay's fast decoder (`PersonDataCorrected+Replay.swift`, where there is one) skips
// these same fields in this same order; `PersonFactTests` checks the two agree for every event type.

extension PersonDataCorrected: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(corrections)
        writer.write(basis)
        writer.write(note)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.corrections = try reader.read()
        self.basis = try reader.read()
        self.note = try reader.read()
    }
}
