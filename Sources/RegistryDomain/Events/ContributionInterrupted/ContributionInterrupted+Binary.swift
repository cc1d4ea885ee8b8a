import Foundation
import EventLog

// The binary payload form of ``ContributionInterrupted``: the fields in declaration order, each in its `BinaryField` form
// (see BinaryPayloadWriter). The replay's fast decoder (`ContributionInterrupted+Replay.swift`, where there is one) skips
// these same fields in this same order; `PersonFactTests` checks the two agree for every event type.

extension ContributionInterrupted: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(insuranceType)
        writer.write(reasonCode)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.insuranceType = try reader.read()
        self.reasonCode = try reader.read()
    }
}
