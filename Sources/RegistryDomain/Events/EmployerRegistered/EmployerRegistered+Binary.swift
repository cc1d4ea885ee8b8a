import Foundation
import EventLog

// The binary payload form of ``EmployerRegistered``: the fields in declaration order, each in its `BinaryField` form
// (see BinaryPayloadWriter). The replay's fast decoder (`EmployerRegistered+Replay.swift`, where there is one) skips
// these same fields in this same order; `PersonFactTests` checks the two agree for every event type.

extension EmployerRegistered: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(creditCode)
        writer.write(name)
        writer.write(division)
        writer.write(isLabourDispatch)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.creditCode = try reader.read()
        self.name = try reader.read()
        self.division = try reader.read()
        self.isLabourDispatch = try reader.read()
    }
}
