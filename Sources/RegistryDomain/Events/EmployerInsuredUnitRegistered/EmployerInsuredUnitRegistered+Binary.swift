import Foundation
import EventLog

// The binary payload form of ``EmployerInsuredUnitRegistered``: the fields in declaration order, each in its `BinaryField` form.
// Employer and target events are not person facts: the views decode them with the full decoder.

extension EmployerInsuredUnitRegistered: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(unitNumber)
        writer.write(agencyDivision)
        writer.write(insuranceTypes)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.unitNumber = try reader.read()
        self.agencyDivision = try reader.read()
        self.insuranceTypes = try reader.read()
    }
}
