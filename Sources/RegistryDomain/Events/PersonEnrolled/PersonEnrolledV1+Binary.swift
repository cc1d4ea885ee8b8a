import Foundation
import EventLog

// The binary payload form of ``PersonEnrolledV1``: the fields in declaration order, each in its `BinaryField` form
// (see BinaryPayloadWriter). The replay's fast decoder (`PersonEnrolled+Replay.swift`, where there is one) skips
// these same fields in this same order; `PersonFactTests` checks the two agree for every event type.

extension PersonEnrolledV1: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(insuranceType)
        writer.write(employer)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.insuranceType = try reader.read()
        self.employer = try reader.read()
    }
}
