import Foundation

extension JSONLinesImporter {
    /// Imports a JSON Lines file, reading it lazily.
    /// - Throws: ``EventFormatError`` (`malformed-json`) when the file cannot be opened; store failures.
    public func importFile(at url: URL) async throws -> ImportReport {
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw EventFormatError(.malformedJSON, "the import file cannot be read")
        }
        var lines = JSONLinesFile(url: url).makeIterator()
        return try await importChunks { firstNumber in
            ImportBatch.LineChunk.read(firstNumber: firstNumber, limit: Self.chunkLines, capacity: 1 << 20) { lines.appendNextLine(to: &$0) }
        }
    }
}
