import Foundation
import EventLog

// The binary payload form of ``SourceFindingEnded``: the fields in declaration order, each in its `BinaryField` form
// (see BinaryPayloadWriter). The replay's fast decoder (`SourceFindingEnded+Replay.swift`) reads the first fields in
// this same order; `PersonFactTests` checks the two agree.

extension SourceFindingEnded: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(department)
        writer.write(finding)
        writer.write(reference)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.department = try reader.read()
        self.finding = try reader.read()
        self.reference = try reader.read()
    }
}
