import CSHA256

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
        // One C call, no allocation (CSHA256): through swift-crypto's `SHA256` the three updates and the finalize cost
        // as much as the compression itself on a replay of ~270-byte records.
        precondition(body.count >= RecordFormat.hashOffset + 32, "a record body holds its hash field")
        var prev = previous
        var out = RecordHash.genesis
        withUnsafeBytes(of: &prev) { p in
            withUnsafeMutableBytes(of: &out) { o in
                let base = body.baseAddress!
                let after = RecordFormat.hashOffset + 32
                csha256_digest3(p.baseAddress, 32, base, RecordFormat.hashOffset, base + after, body.count - after, o.baseAddress)
            }
        }
        return out
    }

    /// The chain hashes of two records at once, each as ``chaining(_:body:)`` computes it: with the SHA instructions
    /// the two computations are interleaved, for nearly twice the throughput. A reader checking a run of records pairs
    /// each with the next, taking the first's stored hash as the second's `previous` (valid once the first's checks).
    public static func chaining(_ previous: RecordHash, body: UnsafeRawBufferPointer,
                                _ secondPrevious: RecordHash, body second: UnsafeRawBufferPointer) -> (RecordHash, RecordHash) {
        precondition(body.count >= RecordFormat.hashOffset + 32 && second.count >= RecordFormat.hashOffset + 32,
                     "a record body holds its hash field")
        var prev = previous, prev2 = secondPrevious
        var out = RecordHash.genesis, out2 = RecordHash.genesis
        let after = RecordFormat.hashOffset + 32
        withUnsafeBytes(of: &prev) { p in
            withUnsafeBytes(of: &prev2) { p2 in
                withUnsafeMutableBytes(of: &out) { o in
                    withUnsafeMutableBytes(of: &out2) { o2 in
                        let b = body.baseAddress!, b2 = second.baseAddress!
                        csha256_digest3x2(p.baseAddress, 32, b, RecordFormat.hashOffset, b + after, body.count - after, o.baseAddress,
                                          p2.baseAddress, 32, b2, RecordFormat.hashOffset, b2 + after, second.count - after, o2.baseAddress)
                    }
                }
            }
        }
        return (out, out2)
    }

    /// Whether the SHA instructions are in use (for benchmark reports).
    public static var isHardwareAccelerated: Bool { csha256_is_hardware() != 0 }
}

import Foundation
