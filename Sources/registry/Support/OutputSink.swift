import EventLog
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered line writer to standard output or to a file (exports carry personal data: the file is written
/// owner-only, mode 0600, under a temporary name and renamed over the target when finished: ``PrivateFile``).
///
/// Not `Sendable`: one task writes.
final class OutputSink {
    private let fd: Int32
    private let path: String?
    private let file: PrivateFile?
    private var buffer: [UInt8] = []

    /// Opens the output: standard output for nil, else the file, created or truncated.
    /// - Throws: ``CommandFailure`` when the file cannot be created.
    init(path: String?) throws {
        self.path = path
        if let path {
            do {
                file = try PrivateFile(replacing: path)
            } catch {
                throw CommandFailure("cannot create the output file: \(error.message)", at: path)
            }
        } else {
            file = nil
        }
        fd = 1
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
        if let file {
            do {
                try file.write(buffer)
            } catch {
                throw CommandFailure("writing the output failed: \(error.message)", at: path)
            }
            buffer.removeAll(keepingCapacity: true)
            return
        }
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                throw CommandFailure("writing the output failed: \(String(cString: strerror(errno)))", at: path ?? "standard output")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and, for a file, syncs it and moves it into place.
    func finish() throws {
        try flush()
        do {
            try file?.commit()
        } catch {
            throw CommandFailure("writing the output failed: \(error.message)", at: path)
        }
    }
}
