import Foundation
import EventLog

// The binary payload form of ``EmployerScreened``: the fields in declaration order, each in its `BinaryField` form
// (see BinaryPayloadWriter). The replay's fast decoder (`EmployerScreened+Replay.swift`, where there is one) skips
// these same fields in this same order; `PersonFactTests` checks the two agree for every event type.

extension EmployerScreened: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(campaign)
        writer.write(staffCount)
        writer.write(unenrolledStaff)
        writer.write(suspectedLabourDispatch)
        writer.write(note)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.campaign = try reader.read()
        self.staffCount = try reader.read()
        self.unenrolledStaff = try reader.read()
        self.suspectedLabourDispatch = try reader.read()
        self.note = try reader.read()
    }
}
