import Foundation
import EventLog

// The binary payload form of ``EmployerScreeningDispatched``: the fields in declaration order, each in its `BinaryField` form.
// Employer and target events are not person facts: the views decode them with the full decoder.

extension EmployerScreeningDispatched: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(taskID)
        writer.write(division)
        writer.write(reasons)
        writer.write(persons)
        writer.write(assignee)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.taskID = try reader.read()
        self.division = try reader.read()
        self.reasons = try reader.read()
        self.persons = try reader.read()
        self.assignee = try reader.read()
    }
}
