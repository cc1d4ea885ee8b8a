import Foundation
import EventLog

extension JSONLinesExporter {
    /// Exports the records a filter keeps to a file, one line each, replacing the file.
    /// - Returns: the number of lines.
    /// - Throws: file errors, and as ``exportStream(_:to:)``.
    @discardableResult
    public func export(filter: LogFilter = .all, toFile url: URL) async throws -> Int {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var pending: [UInt8] = []
        pending.reserveCapacity(1 << 20)
        let count = try await export(filter: filter) { line in
            pending.append(contentsOf: line.utf8)
            pending.append(UInt8(ascii: "\n"))
            if pending.count >= 1 << 20 {
                try handle.write(contentsOf: pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: pending)
        try handle.synchronize()
        return count
    }
}
