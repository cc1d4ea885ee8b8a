import Foundation
import EventLog

extension JSONLinesExporter {
    /// Exports the records a filter keeps to a file, one line each, replacing the file.
    ///
    /// The file is written owner-only (mode 0600) under a temporary name and renamed over `url` once complete
    /// (`PrivateFile`): an export carries personal data, and an existing file is replaced, not rewritten in place.
    /// - Returns: the number of lines.
    /// - Throws: `EventLogError` for file errors, and as ``exportStream(_:to:)``.
    @discardableResult
    public func export(filter: LogFilter = .all, toFile url: URL) async throws -> Int {
        let file = try PrivateFile(replacing: url.path)
        var pending: [UInt8] = []
        pending.reserveCapacity(1 << 20)
        let count: Int
        do {
            count = try await export(filter: filter) { line in
                pending.append(contentsOf: line.utf8)
                pending.append(UInt8(ascii: "\n"))
                if pending.count >= 1 << 20 {
                    try file.write(pending)
                    pending.removeAll(keepingCapacity: true)
                }
            }
            try file.write(pending)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
        return count
    }
}
