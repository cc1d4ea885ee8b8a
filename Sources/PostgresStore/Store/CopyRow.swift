/// One tuple of `COPY … TO STDOUT (FORMAT binary)` output: a field count, then each field as a length (-1 for
/// NULL) and its bytes.
struct CopyRow: EventRowFields {
    /// The tuple's bytes.
    let data: UnsafeRawBufferPointer
    /// Start and length of each field (length -1 for NULL), two entries per field.
    let fields: UnsafeMutableBufferPointer<Int>

    /// Splits a tuple into fields.
    /// - Returns: nil when the bytes are not a tuple of `fields.count / 2` fields.
    static func parse(_ data: UnsafeRawBufferPointer, into fields: UnsafeMutableBufferPointer<Int>) -> CopyRow? {
        guard data.count >= 2, Int(PGBinary.load(Int16.self, from: data)) == fields.count / 2 else { return nil }
        var offset = 2
        for f in 0..<(fields.count / 2) {
            guard offset + 4 <= data.count else { return nil }
            let length = Int(PGBinary.load(Int32.self, from: data, at: offset))
            offset += 4
            fields[2 * f] = offset
            fields[2 * f + 1] = length
            if length > 0 {
                guard offset + length <= data.count else { return nil }
                offset += length
            }
        }
        return offset == data.count ? CopyRow(data: data, fields: fields) : nil
    }

    func bytes(_: Int, _ column: Int) -> UnsafeRawBufferPointer {
        let length = fields[2 * column + 1]
        guard length > 0 else { return UnsafeRawBufferPointer(start: data.baseAddress, count: 0) }
        return UnsafeRawBufferPointer(rebasing: data[fields[2 * column]..<fields[2 * column] + length])
    }

    func isNull(_: Int, _ column: Int) -> Bool { fields[2 * column + 1] < 0 }
}
