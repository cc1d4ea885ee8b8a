import CSV
import Foundation

/// Reads a feed file row by row with CSV.swift (RFC 4180: quoted fields, embedded commas, quotes and line
/// breaks), after converting it to UTF-8 when it is GB18030. Memory stays flat: one row at a time.
///
/// Not `Sendable`: one task reads a feed.
public final class FeedReader {
    /// The feed kind whose columns the header must have.
    public let kind: FeedKind
    /// The file read.
    public let path: String
    /// The file's encoding (given or detected).
    public let encoding: FeedEncoding
    /// The header row.
    public let header: [String]
    /// The size of the (UTF-8) text read, in bytes, for progress.
    public let byteCount: Int
    /// Approximate bytes read so far (the fields' lengths, separators and line ends).
    public private(set) var bytesRead = 0
    /// Rows read so far (not counting the header).
    public private(set) var rowsRead = 0

    private let reader: CSVReader
    private let stream: InputStream
    private let columnIndex: [String: Int]
    private var nextLine = 2
    private let temporaryFile: String?

    /// Opens a feed.
    /// - Parameters:
    ///   - path: the CSV file.
    ///   - kind: its feed kind.
    ///   - encoding: its encoding; detected when nil (UTF-8 if the whole file is valid UTF-8, else GB18030).
    /// - Throws: ``ComparisonError`` (`unreadable-feed`, `bad-encoding`, `bad-header`).
    public init(path: String, kind: FeedKind, encoding: FeedEncoding? = nil) throws(ComparisonError) {
        self.kind = kind
        self.path = path
        let given = encoding
        let encoding: FeedEncoding
        if let given { encoding = given } else { encoding = try FeedEncoding.detect(path: path) }
        self.encoding = encoding
        var readPath = path
        var temporary: String?
        if encoding == .gb18030 {
            let tmp = NSTemporaryDirectory() + "registry-feed-\(getpid())-\(UUID().uuidString).csv"
            do { try FeedEncoding.convertGB18030(from: path, to: tmp) } catch {
                unlink(tmp)
                throw error
            }
            readPath = tmp
            temporary = tmp
        }
        temporaryFile = temporary
        let attributes = try? FileManager.default.attributesOfItem(atPath: readPath)
        byteCount = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        guard let stream = InputStream(fileAtPath: readPath) else {
            if let temporary { unlink(temporary) }
            throw ComparisonError(.unreadableFeed, "cannot open the feed", file: path)
        }
        let csv: CSVReader
        do {
            csv = try CSVReader(stream: stream, hasHeaderRow: true)
        } catch {
            if let temporary { unlink(temporary) }
            throw ComparisonError(.badHeader, "the feed has no header row", file: path, line: 1)
        }
        reader = csv
        self.stream = stream
        let header = (csv.headerRow ?? []).map { Self.clean($0) }
        self.header = header
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where !name.isEmpty {
            if index[name] != nil {
                if let temporary { unlink(temporary) }
                throw ComparisonError(.badHeader, "the header repeats the column \(name)", file: path, line: 1)
            }
            index[name] = i
        }
        for column in kind.columns where column.required && index[column.name] == nil {
            if let temporary { unlink(temporary) }
            throw ComparisonError(
                .badHeader, "the header has no column \(column.name) (a \(kind) feed needs \(kind.columns.filter(\.required).map(\.name).joined(separator: ", ")))",
                file: path, line: 1)
        }
        columnIndex = index
        bytesRead = header.reduce(header.count) { $0 + $1.utf8.count }
    }

    deinit {
        if let temporaryFile { unlink(temporaryFile) }
    }

    /// The next row, or nil at the end of the file.
    /// - Throws: ``ComparisonError`` (`malformed-csv`, `bad-encoding`) when the text cannot be read on.
    public func next() throws(ComparisonError) -> FeedRow? {
        guard let fields = reader.next() else {
            // CSV.swift reports the end of a file stream as `cannotReadFile` on Linux (its stream claims bytes
            // until a read returns 0); only an error before the end is one.
            if let error = reader.error, !(stream.streamStatus == .atEnd && "\(error)" == "cannotReadFile") {
                throw ComparisonError(.malformedCSV, "the CSV text cannot be read on (\(error))", file: path, line: nextLine)
            }
            return nil
        }
        let line = nextLine
        var length = fields.count
        var breaks = 1
        for f in fields {
            length += f.utf8.count
            for b in f.utf8 where b == 0x0A { breaks += 1 }
        }
        bytesRead += length
        nextLine += breaks
        rowsRead += 1
        return FeedRow(line: line, fields: fields, columns: columnIndex, headerCount: header.count)
    }

    /// Strips a byte-order mark and surrounding spaces from a header name.
    static func clean(_ name: String) -> String {
        var s = name
        if s.hasPrefix("\u{FEFF}") { s.removeFirst() }
        return s.trimmingCharacters(in: .whitespaces)
    }
}

/// One data row of a feed, with its line number in the file.
public struct FeedRow: Sendable {
    /// The line the row starts on (the header is line 1).
    public var line: Int
    /// The fields, in file order.
    public var fields: [String]
    /// Column name → field index.
    let columns: [String: Int]
    /// The number of columns in the header.
    public var headerCount: Int

    /// The field of a column, trimmed; nil when the column is absent or the field blank.
    public subscript(_ column: String) -> String? {
        guard let i = columns[column], i < fields.count else { return nil }
        let v = fields[i]
        if v.isEmpty { return nil }
        let first = v.utf8.first!, last = v.utf8.last!
        if first != 0x20 && last != 0x20 && first != 0x09 && last != 0x09 { return v }
        let t = v.trimmingCharacters(in: .whitespaces)
        return t.isEmpty ? nil : t
    }

    /// Whether the row has as many fields as the header.
    public var fieldCount: Int { fields.count }
}
