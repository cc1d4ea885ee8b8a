import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered line writer to standard output or to a new file (mode 0600: exports carry personal data).
///
/// Not `Sendable`: one task writes.
final class OutputSink {
    private let fd: Int32
    private let path: String?
    private var buffer: [UInt8] = []

    /// Opens the output: standard output for nil, else the file, created or truncated.
    /// - Throws: ``CommandFailure`` when the file cannot be created.
    init(path: String?) throws {
        self.path = path
        if let path {
            let opened = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard opened >= 0 else {
                throw CommandFailure("cannot create the output file: \(String(cString: strerror(errno)))", at: path, status: .cannotCreate)
            }
            fd = opened
        } else {
            fd = 1
        }
        buffer.reserveCapacity(1 << 20)
    }

    /// Writes a line and a newline.
    func writeLine(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes out what is buffered.
    func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                throw CommandFailure("writing the output failed: \(String(cString: strerror(errno)))", at: path ?? "standard output", status: .ioError)
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and, for a file, syncs and closes it.
    func finish() throws {
        try flush()
        if path != nil {
            fsync(fd)
            _ = close(fd)
        }
    }
}
