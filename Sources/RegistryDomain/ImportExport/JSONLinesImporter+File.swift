import Foundation

extension JSONLinesImporter {
    /// Imports a JSON Lines file, reading it lazily.
    /// - Throws: ``EventFormatError`` (`malformed-json`) when the file cannot be opened; store failures.
    public func importFile(at url: URL) async throws -> ImportReport {
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw EventFormatError(.malformedJSON, "the import file cannot be read")
        }
        return try await importLines(JSONLinesFile(url: url).bytes)
    }
}
