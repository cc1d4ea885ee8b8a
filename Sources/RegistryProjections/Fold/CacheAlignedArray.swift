import CPrefetch
#if canImport(Glibc)
import Glibc
#endif

/// Buffers of at least this size are allocated on 2 MiB boundaries in whole 2 MiB pages and offered to the kernel
/// for transparent huge pages.
private let hugePageThreshold = 4 << 20
private let hugePage = 2 << 20

/// A growable array whose elements start on a 64-byte boundary, with value semantics (copy on write).
///
/// The fold keeps one 64-byte `PersonRecord` per person and touches one per event, at random: in a Swift `Array`
/// (elements 32 bytes after a 16-byte-aligned allocation) every such record straddles two cache lines, so each event
/// cost two misses; aligned, it costs one. Buffers of 4 MiB and more lie on 2 MiB boundaries and are offered for
/// transparent huge pages (`madvise(MADV_HUGEPAGE)`), so that a random access also rarely misses the TLB.
struct CacheAlignedArray<Element>: RandomAccessCollection, MutableCollection {
    /// The buffer, shared between copies until one of them writes.
    final class Storage {
        let base: UnsafeMutablePointer<Element>
        var count = 0
        let capacity: Int

        init(capacity: Int) {
            let stride = MemoryLayout<Element>.stride
            var bytes = Swift.max(capacity, 16) * stride
            var alignment = Swift.max(64, MemoryLayout<Element>.alignment)
            if bytes >= hugePageThreshold {
                // Whole 2 MiB pages, so that the kernel can back them with huge pages (below).
                alignment = hugePage
                bytes = (bytes + hugePage - 1) / hugePage * hugePage
            }
            self.capacity = bytes / stride
            let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: alignment)
            #if os(Linux)
            // Each event touches a random person: with 4 KiB pages nearly every lookup also misses the TLB. Where
            // transparent huge pages are `madvise` (the default of many distributions) they must be asked for; a
            // refusal only costs the speed-up.
            if alignment == hugePage { _ = madvise(raw, bytes, MADV_HUGEPAGE) }
            #endif
            base = raw.bindMemory(to: Element.self, capacity: self.capacity)
        }

        /// A copy of the elements in a buffer of `capacity`.
        func copy(capacity: Int) -> Storage {
            let new = Storage(capacity: capacity)
            new.base.initialize(from: base, count: count)
            new.count = count
            return new
        }

        deinit {
            base.deinitialize(count: count)
            UnsafeMutableRawPointer(base).deallocate()
        }
    }

    var storage: Storage

    /// An empty array.
    init() { storage = Storage(capacity: 16) }

    /// `count` copies of `value`.
    init(repeating value: Element, count: Int) {
        storage = Storage(capacity: count)
        storage.base.initialize(repeating: value, count: count)
        storage.count = count
    }

    /// Starts loading element `i`'s cache line, without waiting for it (a hint: an index out of range is ignored).
    @inline(__always)
    func prefetch(_ i: Int) {
        if i >= 0, i < storage.count { cprefetch_read(storage.base + i) }
    }

    /// The elements, for a tight loop of reads.
    @inline(__always)
    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// The elements, for a tight loop of writes (copied first if shared).
    mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy(capacity: storage.capacity) }
        return try body(UnsafeMutableBufferPointer(start: storage.base, count: storage.count))
    }

    var startIndex: Int { 0 }
    var endIndex: Int { storage.count }

    subscript(i: Int) -> Element {
        @inline(__always) get {
            precondition(i >= 0 && i < storage.count, "index out of range")
            return storage.base[i]
        }
        @inline(__always) set {
            precondition(i >= 0 && i < storage.count, "index out of range")
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy(capacity: storage.capacity) }
            storage.base[i] = newValue
        }
    }

    /// Appends an element, doubling the buffer when it is full.
    mutating func append(_ element: Element) {
        let unique = isKnownUniquelyReferenced(&storage)
        if storage.count == storage.capacity || !unique {
            storage = storage.copy(capacity: storage.count == storage.capacity ? storage.capacity * 2 : storage.capacity)
        }
        (storage.base + storage.count).initialize(to: element)
        storage.count += 1
    }

    /// Makes room for `n` elements.
    mutating func reserveCapacity(_ n: Int) {
        if n > storage.capacity { storage = storage.copy(capacity: n) }
    }
}

extension CacheAlignedArray where Element: BitwiseCopyable {
    /// The elements' bytes, as they lie in memory (a checkpoint writes them whole).
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.base, count: storage.count * MemoryLayout<Element>.stride))
    }

    /// `count` elements copied from `bytes`, which hold them as ``withUnsafeBytes(_:)`` gave them (same layout).
    /// The caller has checked that every bit pattern there is a valid element. Room for `capacity` elements.
    init(copying bytes: UnsafeRawBufferPointer, count: Int, capacity: Int) {
        precondition(bytes.count == count * MemoryLayout<Element>.stride, "the bytes do not hold exactly \(count) elements")
        storage = Storage(capacity: Swift.max(count, capacity))
        if count > 0 { UnsafeMutableRawPointer(storage.base).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
        storage.count = count
    }
}

extension CacheAlignedArray: Equatable where Element: Equatable {
    static func == (a: Self, b: Self) -> Bool { a.elementsEqual(b) }
}

// The storage is mutated only through `isKnownUniquelyReferenced` copies, so a value shared between tasks is never
// written while another reads it: the same contract as `Array`.
extension CacheAlignedArray: @unchecked Sendable where Element: Sendable {}
