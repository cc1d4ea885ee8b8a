import Foundation
import EventLog

// The binary payload form of ``EnrolmentTerminated``: the fields in declaration order, each in its `BinaryField` form
// (see BinaryPayloadWriter). The replay's fast decoder (`EnrolmentTerminated+Replay.swift`, where there is one) skips
// these same fields in this same order; `PersonFactTests` checks the two agree for every event type.

extension EnrolmentTerminated: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(insuranceType)
        writer.write(reason)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.insuranceType = try reader.read()
        self.reason = try reader.read()
    }
}
