import Foundation
import EventLog

// The binary payload form of ``SourceObservationRecorded``: the fields in declaration order, each in its `BinaryField` form
// (see BinaryPayloadWriter). The replay's fast decoder (`SourceObservationRecorded+Replay.swift`, where there is one) skips
// these same fields in this same order; `PersonFactTests` checks the two agree for every event type.

extension SourceObservationRecorded: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(department)
        writer.write(finding)
        writer.write(employer)
        writer.write(otherProvince)
        writer.write(reference)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.department = try reader.read()
        self.finding = try reader.read()
        self.employer = try reader.read()
        self.otherProvince = try reader.read()
        self.reference = try reader.read()
    }
}
