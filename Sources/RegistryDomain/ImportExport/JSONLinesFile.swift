import Foundation

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

        /// The next line, or nil at the end of the file (or when the file cannot be read).
        public mutating func next() -> String? {
            guard let handle else { return nil }
            while true {
                if let nl = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    var end = nl
                    if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    let line = String(decoding: buffer[start..<end], as: UTF8.self)
                    start = nl + 1
                    return line
                }
                if atEnd {
                    guard start < buffer.count else { return nil }
                    let line = String(decoding: buffer[start...], as: UTF8.self)
                    start = buffer.count
                    return line
                }
                buffer.removeFirst(start)
                start = 0
                let chunk = (try? handle.read(upToCount: chunkSize)) ?? nil
                if let chunk, !chunk.isEmpty { buffer.append(contentsOf: chunk) } else { atEnd = true }
            }
        }
    }

    /// Opens the file and starts reading; a file that cannot be opened yields no lines (check with
    /// `FileManager` first when that matters).
    public func makeIterator() -> Iterator {
        Iterator(handle: try? FileHandle(forReadingFrom: url), chunkSize: chunkSize)
    }
}
