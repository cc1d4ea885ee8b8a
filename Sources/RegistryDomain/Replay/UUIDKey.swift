import Foundation

/// A UUID as two integers: hashed and compared without Foundation.
public struct UUIDKey: Hashable, Sendable {
    public var high: UInt64
    public var low: UInt64

    /// The two halves of a UUID.
    @inlinable
    public init(_ id: UUID) {
        (high, low) = withUnsafeBytes(of: id.uuid) { ($0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
    }

    /// The two halves.
    @inlinable
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The UUID.
    public var uuid: UUID {
        withUnsafeBytes(of: (high, low)) { UUID(uuid: $0.loadUnaligned(as: uuid_t.self)) }
    }
}
