import Foundation
import EventLog

// The binary payload form of ``TargetSet``: the fields in declaration order; the value as the 8 bytes of its IEEE 754
// bit pattern.

extension TargetSet: BinaryPayload {
    /// Writes the fields in declaration order.
    @inlinable
    public func encode(to writer: inout BinaryPayloadWriter) {
        writer.write(area)
        writer.write(insuranceType)
        writer.write(kind)
        writer.write(from)
        writer.write(to)
        writer.writeInteger(value.bitPattern)
        writer.write(note)
    }

    /// Reads the fields in declaration order.
    @inlinable
    public init(from reader: inout BinaryPayloadReader) throws(EventFormatError) {
        self.area = try reader.read()
        self.insuranceType = try reader.read()
        self.kind = try reader.read()
        self.from = try reader.read()
        self.to = try reader.read()
        self.value = Double(bitPattern: try reader.readInteger(UInt64.self))
        self.note = try reader.read()
    }
}
