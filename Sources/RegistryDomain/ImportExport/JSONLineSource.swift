/// Where an importer reads its lines from, one at a time straight into the buffer of the chunk it gathers (no array
/// per line): a file read in chunks (``JSONLinesFile``), or a tool's own reader of a file or standard input.
public protocol JSONLineSource {
    /// Appends the next line's bytes, without its newline (nor a carriage return before it), to `buffer`.
    /// - Returns: false at the end of the input.
    /// - Throws: when the input cannot be read to its end: a read failure must never pass for the end of the input,
    ///   or the import's report would look complete.
    mutating func appendNextLine(to buffer: inout [UInt8]) throws -> Bool
}

extension JSONLinesImporter {
    /// Imports the lines of a source, read lazily into the importer's chunks.
    /// - Parameter source: the lines, in order; line numbers count from 1.
    /// - Throws: the source's read failure (the import stops there: the lines of the batches already sent are in the
    ///   store, and a second import reports them as already present); store failures.
    public func importLines<Source: JSONLineSource>(from source: Source) async throws -> ImportReport {
        var report = ImportReport(keepsEveryLine: reportsEveryLine)
        try await importLines(from: source, into: &report)
        return report
    }

    /// Imports the lines of a source into a report, which holds what was committed even when the import fails
    /// part-way: on a throw, `report` has every line whose fate the store told before the failure (accepted, already
    /// present, rejected, and the positions appended), so a caller can say what the failed import left in the log.
    /// - Parameters:
    ///   - source: the lines, in order; line numbers count from 1.
    ///   - report: the report the lines are added to (usually a new, empty one).
    /// - Throws: as ``importLines(from:)``.
    public func importLines<Source: JSONLineSource>(from source: Source, into report: inout ImportReport) async throws {
        var source = source
        try await importChunks({ firstNumber in
            try ImportBatch.LineChunk.read(firstNumber: firstNumber, limit: Self.chunkLines, capacity: 1 << 20) { bytes in
                try source.appendNextLine(to: &bytes)
            }
        }, into: &report)
    }
}
