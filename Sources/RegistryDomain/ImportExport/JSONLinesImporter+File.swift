import EventLog
import Foundation

extension JSONLinesImporter {
    /// Imports a JSON Lines file, reading it lazily.
    /// - Throws: ``EventFormatError`` (`malformed-json`) when the file cannot be opened; `EventLogError`
    ///   (`EventLogError/Code/ioFailure`) when reading it fails part-way (the import stops there: the lines of the
    ///   batches already sent are in the store, and a second import reports them as already present); store failures.
    public func importFile(at url: URL) async throws -> ImportReport {
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw EventFormatError(.malformedJSON, "the import file cannot be read")
        }
        return try await importLines(from: JSONLinesFile(url: url).makeIterator())
    }
}

extension JSONLinesFile.Iterator: JSONLineSource {
    /// Appends the next line's bytes; false at the end of the file.
    /// - Throws: `EventLogError` (`EventLogError/Code/ioFailure`) when the file could not be opened or read to its
    ///   end: the lines then end early, and an import must not report a complete file.
    public mutating func appendNextLine(to buffer: inout [UInt8]) throws -> Bool {
        if appendLine(to: &buffer) { return true }
        if let failure {
            throw EventLogError(.ioFailure, "the import file could not be read to its end (\(failure)); the import stopped part-way")
        }
        return false
    }
}
