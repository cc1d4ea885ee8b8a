import Foundation
import EventLog

// The binary payload form of ``EmployerScreeningRecorded``: the fields in declaration order, each in its `BinaryField` form.
// Employer and target events are not person facts: the views decode them with the full decoder.

extension EmployerScreeningRecorded: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(taskID)
        writer.write(outcome)
        writer.write(persons)
        writer.write(note)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.taskID = try reader.read()
        self.outcome = try reader.read()
        self.persons = try reader.read()
        self.note = try reader.read()
    }
}
