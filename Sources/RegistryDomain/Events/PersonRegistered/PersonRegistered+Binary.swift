import Foundation
import EventLog

// The binary payload form of ``PersonRegistered``: the fields in declaration order, each in its `BinaryField` form
// (see BinaryPayloadWriter). The replay's fast decoder (`PersonRegistered+Replay.swift`, where there is one) skips
// these same fields in this same order; `PersonFactTests` checks the two agree for every event type.

extension PersonRegistered: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(citizenID)
        writer.write(name)
        writer.write(ethnicity)
        writer.write(hukouType)
        writer.write(hukouAddress)
        writer.write(hukouDivision)
        writer.write(residenceAddress)
        writer.write(residenceDivision)
        writer.write(phone)
        writer.write(employmentStatus)
        writer.write(source)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.citizenID = try reader.read()
        self.name = try reader.read()
        self.ethnicity = try reader.read()
        self.hukouType = try reader.read()
        self.hukouAddress = try reader.read()
        self.hukouDivision = try reader.read()
        self.residenceAddress = try reader.read()
        self.residenceDivision = try reader.read()
        self.phone = try reader.read()
        self.employmentStatus = try reader.read()
        self.source = try reader.read()
    }
}
