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
        var lines = JSONLinesFile(url: url).makeIterator()
        return try await importChunks { firstNumber in
            try ImportBatch.LineChunk.read(firstNumber: firstNumber, limit: Self.chunkLines, capacity: 1 << 20) { bytes in
                if lines.appendNextLine(to: &bytes) { return true }
                // A read error must not pass for the end of the file: the report would look complete.
                if let failure = lines.failure {
                    throw EventLogError(.ioFailure, "the import file could not be read to its end (\(failure)); the import stopped part-way")
                }
                return false
            }
        }
    }
}
