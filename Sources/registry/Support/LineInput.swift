import Foundation
import RegistryDomain
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lines of a file or of standard input, read in 1 MiB chunks as they are consumed, so an import never holds
/// the whole file and can report how far it got.
///
/// Not `Sendable`: it owns a file descriptor and is read by one task.
final class LineInput {
    /// Where the lines come from, for messages.
    let name: String
    /// The file's size in bytes, when known (not for pipes).
    let totalBytes: Int?
    /// Bytes consumed so far.
    private(set) var bytesRead = 0
    /// Lines handed out so far.
    private(set) var linesRead = 0
    /// A read error met on the way (the sequence then ends early); checked by the caller afterwards.
    private(set) var readError: CommandFailure?
    /// Called after each chunk is read and every 1024 lines, with this input: the hook of a progress bar.
    var onProgress: ((LineInput) -> Void)?

    private let fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false

    /// Opens a file, or standard input for `-`.
    /// - Throws: ``CommandFailure`` when the file cannot be opened.
    init(path: String) throws {
        if path == "-" {
            fd = 0
            ownsDescriptor = false
            name = "standard input"
            totalBytes = nil
        } else {
            let opened = open(path, O_RDONLY)
            guard opened >= 0 else {
                throw CommandFailure(
                    "cannot open the input file: \(String(cString: strerror(errno)))", at: path,
                    fix: "check the path, or give - to read standard input", status: .noInput)
            }
            var info = stat()
            if fstat(opened, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                close(opened)
                throw CommandFailure("the input is a directory, not a JSON Lines file", at: path, status: .noInput)
            }
            fd = opened
            ownsDescriptor = true
            name = path
            totalBytes = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
        }
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// The fraction of the file read, when its size is known.
    var fraction: Double? {
        guard let totalBytes, totalBytes > 0 else { return nil }
        return Swift.min(1, Double(bytesRead) / Double(totalBytes))
    }

    /// Appends the next line's bytes (without its newline and a trailing carriage return) to `line`: the
    /// importer's chunk, so no array is made per line. False at the end, or when a read failed (``readError``).
    private func appendLine(to line: inout [UInt8]) -> Bool {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                line.append(contentsOf: buffer[start..<end])
                start = newline + 1
                linesRead += 1
                if linesRead & 1023 == 0 { onProgress?(self) }
                return true
            }
            if atEnd {
                guard start < buffer.count else { return false }
                line.append(contentsOf: buffer[start...])
                start = buffer.count
                linesRead += 1
                return true
            }
            fill()
        }
    }

    private func fill() {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let chunk = 1 << 20
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        var n: Int
        repeat {
            n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + old, chunk) }
        } while n < 0 && errno == EINTR
        if n < 0 {
            readError = CommandFailure("reading the input failed: \(String(cString: strerror(errno)))", at: name, status: .ioError)
            n = 0
        }
        buffer.removeLast(chunk - n)
        if n == 0 { atEnd = true }
        bytesRead += n
        onProgress?(self)
    }
}

extension LineInput: JSONLineSource {
    /// Appends the next line to the importer's chunk; false at the end of the input.
    /// - Throws: ``readError``, as soon as a read fails: the import stops there instead of reporting a whole file.
    func appendNextLine(to buffer: inout [UInt8]) throws -> Bool {
        if appendLine(to: &buffer) { return true }
        if let readError { throw readError }
        return false
    }
}
