import CLibPQ
import Foundation

/// The parameters of one statement, encoded in PostgreSQL's binary format into one buffer.
///
/// Values are never spliced into SQL text: a statement names them `$1`, `$2`, … and they travel apart.
package struct PGParameters: Sendable {
    @usableFromInline var storage: [UInt8] = []
    @usableFromInline var starts: [Int] = []
    @usableFromInline var lengths: [Int32] = []
    @usableFromInline var types: [Oid] = []

    /// Creates an empty parameter list.
    package init() {}

    /// Number of parameters.
    package var count: Int { starts.count }

    @usableFromInline
    mutating func begin(_ type: Oid) -> Int {
        types.append(type)
        starts.append(storage.count)
        return storage.count
    }

    @usableFromInline
    mutating func end(from start: Int) { lengths.append(Int32(storage.count - start)) }

    /// Appends a `bigint`.
    package mutating func append(_ value: Int64) {
        let s = begin(PGType.int8); storage.appendBE(value); end(from: s)
    }

    /// Appends an `integer`.
    package mutating func append(_ value: Int32) {
        let s = begin(PGType.int4); storage.appendBE(value); end(from: s)
    }

    /// Appends a `smallint`.
    package mutating func append(_ value: Int16) {
        let s = begin(PGType.int2); storage.appendBE(value); end(from: s)
    }

    /// Appends a `text`.
    package mutating func append(_ value: String) {
        let s = begin(PGType.text); storage.append(contentsOf: value.utf8); end(from: s)
    }

    /// Appends a `bytea`.
    package mutating func append(bytes: some Sequence<UInt8>) {
        let s = begin(PGType.bytea); storage.append(contentsOf: bytes); end(from: s)
    }

    /// Appends a `uuid`.
    package mutating func append(_ value: UUID) {
        let s = begin(PGType.uuid)
        withUnsafeBytes(of: value.uuid) { storage.append(contentsOf: $0) }
        end(from: s)
    }

    /// Appends a one-dimensional `text[]`.
    package mutating func append(textArray values: some Collection<String>) {
        let s = begin(PGType.textArray)
        appendArrayHeader(count: values.count, element: PGType.text)
        for v in values {
            let lengthAt = storage.count
            storage.appendBE(Int32(0))
            storage.append(contentsOf: v.utf8)
            storage.storeBE(Int32(storage.count - lengthAt - 4), at: lengthAt)
        }
        end(from: s)
    }

    /// Appends a one-dimensional `uuid[]`.
    package mutating func append(uuidArray values: some Collection<UUID>) {
        let s = begin(PGType.uuidArray)
        appendArrayHeader(count: values.count, element: PGType.uuid)
        for v in values {
            storage.appendBE(Int32(16))
            withUnsafeBytes(of: v.uuid) { storage.append(contentsOf: $0) }
        }
        end(from: s)
    }

    /// Appends SQL NULL of a type.
    package mutating func appendNull(type: Oid) {
        types.append(type)
        starts.append(storage.count)
        lengths.append(-1)
    }

    private mutating func appendArrayHeader(count: Int, element: Oid) {
        storage.appendBE(Int32(1))  // dimensions
        storage.appendBE(Int32(0))  // no nulls
        storage.appendBE(Int32(bitPattern: element))
        storage.appendBE(Int32(count))
        storage.appendBE(Int32(1))  // lower bound
    }

    /// Calls `body` with the C arrays libpq takes: values, lengths, formats, types.
    func withCArrays<R>(
        _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?, UnsafePointer<Oid>?) throws -> R
    ) rethrows -> R {
        let formats = [Int32](repeating: 1, count: count)
        return try storage.withUnsafeBytes { raw in
            // A zero-length value still needs a non-nil pointer; nil means NULL.
            let base = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            var values = [UnsafePointer<CChar>?]()
            values.reserveCapacity(count)
            for i in 0..<count {
                values.append(lengths[i] < 0 ? nil : (base + starts[i]).assumingMemoryBound(to: CChar.self))
            }
            return try values.withUnsafeBufferPointer { v in
                try lengths.withUnsafeBufferPointer { l in
                    try formats.withUnsafeBufferPointer { f in
                        try types.withUnsafeBufferPointer { t in
                            try body(v.baseAddress, l.baseAddress, f.baseAddress, t.baseAddress)
                        }
                    }
                }
            }
        }
    }
}
