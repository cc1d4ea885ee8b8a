import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lines of a text file, read lazily in chunks: how a large JSON Lines file is imported with flat memory.
///
/// Lines end at `\n` (a preceding `\r` is dropped); the last line may lack its newline.
public struct JSONLinesFile: Sequence, Sendable {
    /// The file.
    public let url: URL
    /// Bytes read per chunk.
    public var chunkSize: Int

    /// Opens nothing yet: the file is opened when iteration starts.
    public init(url: URL, chunkSize: Int = 1 << 20) {
        self.url = url
        self.chunkSize = Swift.max(1, chunkSize)
    }

    /// Reads the next line on demand.
    public struct Iterator: IteratorProtocol {
        let handle: FileHandle?
        let chunkSize: Int
        var buffer: [UInt8] = []
        var start = 0
        var atEnd = false
        /// Why the file stopped being read before its end (it could not be opened, or a read failed), if it did:
        /// the lines then end early, and an import must say so rather than report a complete file.
        var failure: String?

        /// The next line, or nil at the end of the file (or when the file cannot be read). Invalid UTF-8 is
        /// replaced with U+FFFD here: read ``JSONLinesFile/bytes`` to see it.
        public mutating func next() -> String? {
            nextBytes().map { String(decoding: $0, as: UTF8.self) }
        }

        /// The next line's bytes, or nil at the end of the file (or when the file cannot be read).
        public mutating func nextBytes() -> [UInt8]? {
            var line: [UInt8] = []
            return appendLine(to: &line) ? line : nil
        }

        /// Appends the next line's bytes to `line`; false at the end of the file (or when it cannot be read).
        mutating func appendLine(to line: inout [UInt8]) -> Bool {
            guard let handle else { return false }
            while true {
                let found: Int? = buffer.withUnsafeBufferPointer { b in
                    guard start < b.count, let p = memchr(b.baseAddress! + start, 0x0A, b.count - start) else { return nil }
                    return b.baseAddress!.distance(to: p.assumingMemoryBound(to: UInt8.self))
                }
                if let nl = found {
                    var end = nl
                    if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    line.append(contentsOf: buffer[start..<end])
                    start = nl + 1
                    return true
                }
                if atEnd {
                    guard start < buffer.count else { return false }
                    line.append(contentsOf: buffer[start...])
                    start = buffer.count
                    return true
                }
                buffer.removeFirst(start)
                start = 0
                // Read straight into the buffer (no `Data` per chunk).
                let old = buffer.count
                buffer.append(contentsOf: repeatElement(0, count: chunkSize))
                var n: Int
                repeat {
                    n = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress! + old, chunkSize) }
                } while n < 0 && errno == EINTR
                if n < 0 { failure = String(cString: strerror(errno)) }
                buffer.removeLast(chunkSize - Swift.max(0, n))
                if n <= 0 { atEnd = true }
            }
        }
    }

    /// The lines as bytes, unchanged: what an import reads, so that invalid UTF-8 is rejected, not replaced.
    public var bytes: ByteLines { ByteLines(file: self) }

    /// The lines of the file as bytes.
    public struct ByteLines: Sequence, Sendable {
        let file: JSONLinesFile

        /// Reads the next line's bytes on demand.
        public struct Iterator: IteratorProtocol {
            var lines: JSONLinesFile.Iterator
            /// The next line's bytes.
            public mutating func next() -> [UInt8]? { lines.nextBytes() }
        }

        /// Opens the file and starts reading.
        public func makeIterator() -> Iterator { Iterator(lines: file.makeIterator()) }
    }

    /// Opens the file and starts reading; a file that cannot be opened yields no lines (check with
    /// `FileManager` first when that matters).
    public func makeIterator() -> Iterator {
        let handle = try? FileHandle(forReadingFrom: url)
        return Iterator(handle: handle, chunkSize: chunkSize, failure: handle == nil ? "the file cannot be opened" : nil)
    }
}
