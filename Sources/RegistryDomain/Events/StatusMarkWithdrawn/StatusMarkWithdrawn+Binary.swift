import Foundation
import EventLog

// The binary payload form of ``StatusMarkWithdrawn``: the fields in declaration order, each in its `BinaryField` form
// (see BinaryPayloadWriter). The replay's fast decoder (`StatusMarkWithdrawn+Replay.swift`) reads the first field in
// this same order; `PersonFactTests` checks the two agree.

extension StatusMarkWithdrawn: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(mark)
        writer.write(reasonCode)
        writer.write(note)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.mark = try reader.read()
        self.reasonCode = try reader.read()
        self.note = try reader.read()
    }
}
