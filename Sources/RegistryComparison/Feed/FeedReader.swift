import CSV
import Foundation

/// Reads a feed file row by row with CSV.swift (RFC 4180: quoted fields, embedded commas, quotes and line
/// breaks), after converting it to UTF-8 when it is GB18030.
///
/// The file is read in chunks of about 4 MiB cut at a line break outside quotes (the parity of the double quotes
/// seen tells: an escaped `""` counts twice), and each chunk is parsed by its own `CSVReader`: memory is one chunk,
/// whatever the feed's size. *Why chunks rather than CSV.swift's `InputStream` reader:* that one decodes byte by byte
/// through two iterator boxes (measured: about half of a comparison's time); parsing a chunk's `String` is the same
/// parser on a faster input.
///
/// Not `Sendable`: one thread reads a feed.
public final class FeedReader {
    /// The feed kind whose columns the header must have.
    public let kind: FeedKind
    /// The file read.
    public let path: String
    /// The file's encoding (given or detected).
    public let encoding: FeedEncoding
    /// The header row.
    public private(set) var header: [String] = []
    /// The size of the (UTF-8) text read, in bytes, for progress.
    public let byteCount: Int
    /// Bytes read so far (whole chunks).
    public private(set) var bytesRead = 0
    /// Rows read so far (not counting the header).
    public private(set) var rowsRead = 0

    private let fd: Int32
    private var columnIndex: [String: Int] = [:]
    private var nextLine = 1
    private let temporaryFile: String?
    private var chunkReader: CSVReader?
    private var carry: [UInt8] = []
    private var readBuffer: [UInt8] = []
    private var atEnd = false
    private static let chunkSize = 4 << 20

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
        let fd = open(readPath, O_RDONLY)
        guard fd >= 0 else {
            if let temporary { unlink(temporary) }
            throw ComparisonError(.unreadableFeed, "cannot open the feed (\(String(cString: strerror(errno))))", file: path)
        }
        self.fd = fd
        var st = stat()
        byteCount = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        let header = try nextFields()?.map { Self.clean($0) }
        guard let header, !header.isEmpty, header != [""] else {
            throw ComparisonError(.badHeader, "the feed has no header row", file: path, line: 1)
        }
        self.header = header
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where !name.isEmpty {
            if index[name] != nil {
                throw ComparisonError(.badHeader, "the header repeats the column \(name)", file: path, line: 1)
            }
            index[name] = i
        }
        for column in kind.columns where column.required && index[column.name] == nil {
            throw ComparisonError(
                .badHeader, "the header has no column \(column.name) (a \(kind) feed needs \(kind.columns.filter(\.required).map(\.name).joined(separator: ", ")))",
                file: path, line: 1)
        }
        columnIndex = index
    }

    deinit {
        close(fd)
        if let temporaryFile { unlink(temporaryFile) }
    }

    /// The next row, or nil at the end of the file.
    /// - Throws: ``ComparisonError`` (`unreadable-feed`, `bad-encoding`) when the text cannot be read on.
    public func next() throws(ComparisonError) -> FeedRow? {
        while true {
            guard let fields = try nextFields() else { return nil }
            if fields.count == 1, fields[0].isEmpty { continue }  // a blank line
            rowsRead += 1
            return FeedRow(line: lastLine, fields: fields, columns: columnIndex, headerCount: header.count)
        }
    }

    private var lastLine = 1

    /// The next record's fields from the current chunk, reading the next chunk when it is used up.
    private func nextFields() throws(ComparisonError) -> [String]? {
        while true {
            if let reader = chunkReader, let fields = reader.next() {
                lastLine = nextLine
                var breaks = 1
                for f in fields { for b in f.utf8 where b == 0x0A { breaks += 1 } }
                nextLine += breaks
                return fields
            }
            chunkReader = nil
            guard let text = try nextChunk() else { return nil }
            do {
                chunkReader = try CSVReader(string: text, hasHeaderRow: false)
            } catch {
                throw ComparisonError(.malformedCSV, "the CSV text cannot be read (\(error))", file: path, line: nextLine)
            }
        }
    }

    /// The line the carried-over bytes (the start of the next chunk) begin on.
    private var carryLine = 1

    /// Where the quoting scan of ``nextChunk()`` is, byte by byte: RFC 4180 as CSV.swift reads it.
    private enum QuoteState { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// The next chunk of whole records, or nil at the end of the file.
    ///
    /// The scan follows the quoting byte by byte as the parser does (a quote opens a field only at its start; a quote
    /// inside an unquoted field is a character, as spreadsheet programs take it; in a quoted field `""` is a quote),
    /// so a chunk is cut only at a line break that ends a record. Text after a closing quote (`"a"b`) and a quoted
    /// field never closed make the record boundaries ambiguous (CSV.swift would read on across lines, dropping a
    /// character): the feed is refused there with `malformed-csv` and the line, rather than read one way or another.
    /// - Throws: ``ComparisonError`` (`unreadable-feed`, `bad-encoding`, `malformed-csv`).
    private func nextChunk() throws(ComparisonError) -> String? {
        var buffer = carry
        carry = []
        var scanned = 0
        var state = QuoteState.fieldStart
        var line = carryLine, quoteLine = carryLine, lineAfterCut = carryLine
        var cut = -1
        var broken: (line: Int, reason: String)?
        while true {
            // Find the last record-ending line break in what is not scanned yet.
            var i = scanned
            let count = buffer.count
            // A byte-order mark is not part of the first field (the parser is given the text after it).
            if bytesRead == 0, i == 0, count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { i = 3 }
            buffer.withUnsafeBufferPointer { b in
                while i < count, broken == nil {
                    let c = b[i]
                    switch state {
                    case .fieldStart, .unquoted, .quoteInQuoted:
                        if state == .quoteInQuoted, c != 0x22, c != 0x2C, c != 0x0A, c != 0x0D {
                            broken = (line, "text after a closing quote")
                        } else if c == 0x22 {
                            if state == .fieldStart { state = .quoted; quoteLine = line } else if state == .quoteInQuoted { state = .quoted }
                        } else if c == 0x2C || c == 0x0D {
                            state = .fieldStart
                        } else if c == 0x0A {
                            state = .fieldStart
                            line += 1
                            cut = i
                            lineAfterCut = line
                        } else {
                            state = .unquoted
                        }
                    case .quoted:
                        if c == 0x22 { state = .quoteInQuoted } else if c == 0x0A { line += 1 }
                    }
                    i += 1
                }
            }
            scanned = count
            if let broken {
                throw ComparisonError(.malformedCSV, "the quoting is broken (\(broken.reason)): the rows cannot be told apart from there; fix the file", file: path, line: broken.line)
            }
            if (cut >= 0 && buffer.count >= Self.chunkSize) || atEnd { break }
            if readBuffer.isEmpty { readBuffer = [UInt8](repeating: 0, count: min(Self.chunkSize, max(4096, byteCount + 1))) }
            let n = readBuffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { throw ComparisonError(.unreadableFeed, "cannot read the feed (\(String(cString: strerror(errno))))", file: path) }
            if n == 0 { atEnd = true } else { buffer.append(contentsOf: readBuffer[0..<n]) }
        }
        if atEnd, state == .quoted {
            throw ComparisonError(.malformedCSV, "a quoted field is never closed: the rows cannot be told apart from there; fix the file", file: path, line: quoteLine)
        }
        if buffer.isEmpty { return nil }
        let end = atEnd ? buffer.count : cut + 1
        if !atEnd {
            carry = Array(buffer[end...])
            carryLine = lineAfterCut
        }
        var start = 0
        if bytesRead == 0, buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
        bytesRead += end
        guard let text = String(validating: buffer[start..<end], as: UTF8.self) else {
            throw ComparisonError(.badEncoding, "not valid UTF-8 (give --encoding gb18030 for a GB18030 file)", file: path)
        }
        return text
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
