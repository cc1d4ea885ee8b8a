#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Standard output and error, written unbuffered with `write(2)`.
enum Terminal {
    /// Whether standard error is a terminal (progress bars are drawn only then).
    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }

    /// Writes text to standard error as is.
    static func writeError(_ text: String) { write(text, to: 2) }

    /// Writes text to standard output as is.
    static func writeOutput(_ text: String) { write(text, to: 1) }

    /// Prints `registry: error: <message>` on standard error (on a terminal, over a progress bar left drawn).
    static func error(_ message: String) {
        writeError((standardErrorIsTerminal ? "\r\u{1B}[K" : "") + "registry: error: \(message)\n")
    }

    /// Prints a note (not an error) on standard error.
    static func note(_ message: String) { writeError(message + "\n") }

    static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = bytes.baseAddress.map { systemWrite(fd, $0 + offset, bytes.count - offset) } ?? 0
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
