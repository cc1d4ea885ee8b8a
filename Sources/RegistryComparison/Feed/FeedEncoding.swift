import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The character encoding of a feed file: government systems write UTF-8 or GB18030.
public enum FeedEncoding: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// UTF-8, with or without a byte-order mark.
    case utf8 = "utf-8"
    /// GB 18030 (a superset of GBK and GB 2312).
    case gb18030

    /// The name, as given to `--encoding`.
    public var description: String { rawValue }

    /// Reads an encoding name (`utf-8`, `utf8`, `gb18030`, `gbk`, `gb2312`; case-insensitive).
    public init?(name: String) {
        switch name.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gb-18030", "gbk", "gb2312", "cp936": self = .gb18030
        default: return nil
        }
    }

    /// Detects a file's encoding: UTF-8 when every byte sequence in it is valid UTF-8, else GB18030.
    ///
    /// Reads the whole file in 1 MiB chunks (memory stays flat); ASCII-only files are UTF-8.
    /// - Throws: ``ComparisonError`` with ``ComparisonError/Code/unreadableFeed``.
    public static func detect(path: String) throws(ComparisonError) -> FeedEncoding {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ComparisonError(.unreadableFeed, "cannot open the feed (\(String(cString: strerror(errno))))", file: path) }
        defer { close(fd) }
        var validator = UTF8Validator()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw ComparisonError(.unreadableFeed, "cannot read the feed (\(String(cString: strerror(errno))))", file: path) }
            if n == 0 { break }
            if !validator.feed(buffer[0..<n]) { return .gb18030 }
        }
        return validator.isComplete ? .utf8 : .gb18030
    }

    /// Converts a GB18030 file to UTF-8 with glibc's `iconv`, chunk by chunk, into `destination`.
    /// - Throws: ``ComparisonError`` with ``ComparisonError/Code/unreadableFeed`` or
    ///   ``ComparisonError/Code/badEncoding`` (naming the byte offset of the first invalid sequence).
    public static func convertGB18030(from path: String, to destination: String) throws(ComparisonError) {
        let input = open(path, O_RDONLY)
        guard input >= 0 else { throw ComparisonError(.unreadableFeed, "cannot open the feed (\(String(cString: strerror(errno))))", file: path) }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard output >= 0 else { throw ComparisonError(.unreadableFeed, "cannot create a temporary file (\(String(cString: strerror(errno))))", file: destination) }
        defer { close(output) }
        let cd = iconv_open("UTF-8", "GB18030")
        guard cd != iconv_t(bitPattern: -1) else { throw ComparisonError(.badEncoding, "this system's iconv cannot convert GB18030", file: path) }
        defer { iconv_close(cd) }
        let chunk = 1 << 20
        var inBuffer = [UInt8](repeating: 0, count: chunk + 8)
        var outBuffer = [UInt8](repeating: 0, count: chunk * 2 + 64)
        var carried = 0
        var consumedTotal = 0
        var atEnd = false
        while !atEnd || carried > 0 {
            let n = inBuffer.withUnsafeMutableBytes { read(input, $0.baseAddress! + carried, chunk) }
            if n < 0 { throw ComparisonError(.unreadableFeed, "cannot read the feed", file: path) }
            if n == 0 { atEnd = true }
            let available = carried + n
            if available == 0 { break }
            var left = available
            var produced = 0
            let result: Int = inBuffer.withUnsafeMutableBytes { inRaw in
                outBuffer.withUnsafeMutableBytes { outRaw in
                    var inPtr: UnsafeMutablePointer<CChar>? = inRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
                    var outPtr: UnsafeMutablePointer<CChar>? = outRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
                    var outLeft = outRaw.count
                    let r = iconv(cd, &inPtr, &left, &outPtr, &outLeft)
                    produced = outRaw.count - outLeft
                    return r == -1 ? Int(errno) : 0
                }
            }
            if produced > 0 {
                let written = outBuffer.withUnsafeBytes { write(output, $0.baseAddress, produced) }
                guard written == produced else { throw ComparisonError(.unreadableFeed, "cannot write a temporary file", file: destination) }
            }
            let used = available - left
            consumedTotal += used
            if result == EILSEQ || (result == EINVAL && atEnd) {
                throw ComparisonError(.badEncoding, "not valid GB18030 at byte \(consumedTotal)", file: path)
            }
            // Keep an incomplete multi-byte sequence for the next chunk.
            if left > 0 {
                inBuffer.withUnsafeMutableBytes { raw in
                    raw.baseAddress!.copyMemory(from: raw.baseAddress! + used, byteCount: left)
                }
            }
            carried = left
            if atEnd && carried == 0 { break }
            if atEnd && result == 0 && carried == 0 { break }
        }
    }
}

/// An incremental UTF-8 validity check over chunks.
struct UTF8Validator {
    private var pending = 0  // continuation bytes still expected
    private var first: UInt8 = 0
    private var position = 0 // index within the current sequence

    /// Whether the input so far ended on a sequence boundary.
    var isComplete: Bool { pending == 0 }

    /// Checks more bytes; false at the first invalid sequence.
    mutating func feed(_ bytes: ArraySlice<UInt8>) -> Bool {
        for b in bytes {
            if pending == 0 {
                if b < 0x80 { continue }
                first = b
                position = 1
                switch b {
                case 0xC2...0xDF: pending = 1
                case 0xE0...0xEF: pending = 2
                case 0xF0...0xF4: pending = 3
                default: return false
                }
            } else {
                guard b & 0xC0 == 0x80 else { return false }
                if position == 1 {
                    if first == 0xE0 && b < 0xA0 { return false }
                    if first == 0xED && b > 0x9F { return false }
                    if first == 0xF0 && b < 0x90 { return false }
                    if first == 0xF4 && b > 0x8F { return false }
                }
                position += 1
                pending -= 1
            }
        }
        return true
    }
}
