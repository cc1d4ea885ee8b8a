import Crypto

/// A SHA-256 digest that links a record to the one before it: the log's tamper evidence.
///
/// `hash(n) = SHA-256(hash(n-1) ‖ content(n))`, where content is the record's canonical encoding without its
/// own hash field (``RecordFormat``), and `hash(0)` is 32 zero bytes (``genesis``).
public struct RecordHash: Hashable, Sendable, CustomStringConvertible {
    @usableFromInline var a: UInt64, b: UInt64, c: UInt64, d: UInt64

    /// The hash before the first record: 32 zero bytes.
    public static let genesis = RecordHash(a: 0, b: 0, c: 0, d: 0)

    @usableFromInline
    init(a: UInt64, b: UInt64, c: UInt64, d: UInt64) { self.a = a; self.b = b; self.c = c; self.d = d }

    /// Reads 32 bytes.
    @inlinable
    public init(bytes: UnsafeRawPointer) {
        a = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        b = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        c = bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        d = bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
    }

    /// Creates a hash from 32 bytes.
    /// - Returns: nil unless `bytes` has exactly 32 elements.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self = bytes.withUnsafeBytes { RecordHash(bytes: $0.baseAddress!) }
    }

    /// Writes the 32 bytes.
    @inlinable
    public func store(to pointer: UnsafeMutableRawPointer) {
        pointer.storeBytes(of: a, toByteOffset: 0, as: UInt64.self)
        pointer.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
        pointer.storeBytes(of: c, toByteOffset: 16, as: UInt64.self)
        pointer.storeBytes(of: d, toByteOffset: 24, as: UInt64.self)
    }

    /// The 32 bytes.
    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buf, n in store(to: UnsafeMutableRawPointer(buf.baseAddress!)); n = 32 }
    }

    /// Lower-case hexadecimal.
    public var description: String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// The chain hash of a record body in canonical form, given the previous record's hash.
    /// - Parameters:
    ///   - previous: the previous record's hash (zero for the first record).
    ///   - body: the whole record body; its hash field is skipped.
    public static func chaining(_ previous: RecordHash, body: UnsafeRawBufferPointer) -> RecordHash {
        var hasher = SHA256()
        withUnsafeBytes(of: previous) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: body[0..<RecordFormat.hashOffset]))
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: body[(RecordFormat.hashOffset + 32)...]))
        let digest = hasher.finalize()
        return digest.withUnsafeBytes { RecordHash(bytes: $0.baseAddress!) }
    }
}

import Foundation
