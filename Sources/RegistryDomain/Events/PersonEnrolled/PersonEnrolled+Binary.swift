import Foundation
import EventLog

// The binary payload form of ``PersonEnrolled``: the fields in declaration order, each in its `BinaryField` form
// (see BinaryPayloadWriter). The replay's fast decoder (`PersonEnrolled+Replay.swift`, where there is one) skips
// these same fields in this same order; `PersonFactTests` checks the two agree for every event type.

extension PersonEnrolled: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(insuranceType)
        writer.write(route)
        writer.write(employer)
        writer.write(division)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.insuranceType = try reader.read()
        self.route = try reader.read()
        self.employer = try reader.read()
        self.division = try reader.read()
    }
}
