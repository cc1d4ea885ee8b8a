import Foundation

/// How a view is printed.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Aligned columns for people.
    case table
    /// RFC 4180 CSV for spreadsheets.
    case csv
    /// A JSON array of objects for machines.
    case json
}

/// A view as rows and columns, printable as a table, CSV or JSON.
public struct ViewTable: Sendable, Hashable {
    /// One value.
    public enum Cell: Sendable, Hashable, CustomStringConvertible {
        case text(String)
        case int(Int)
        /// A percentage (already in percent, one decimal: 88.9): `88.9%` in a table, `88.9` in CSV and JSON; nil
        /// shows as `-` in a table, an empty field in CSV and null in JSON.
        case percent(Double?)

        public var description: String {
            switch self {
            case .text(let s): return s
            case .int(let i): return String(i)
            case .percent(let p): return p.map { String(format: "%.1f%%", $0) } ?? "-"
            }
        }
    }

    public var title: String
    public var columns: [String]
    public var rows: [[Cell]]

    /// Creates a table.
    public init(title: String, columns: [String], rows: [[Cell]]) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    /// The table in a format.
    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: return renderTable()
        case .csv: return renderCSV()
        case .json: return renderJSON()
        }
    }

    func renderTable() -> String {
        let text = rows.map { $0.map(\.description) }
        var widths = columns.map(\.count)
        for row in text { for (k, v) in row.enumerated() where k < widths.count { widths[k] = max(widths[k], v.count) } }
        func line(_ values: [String]) -> String {
            values.enumerated().map { k, v in
                let pad = String(repeating: " ", count: max(0, widths[k] - v.count))
                let numeric = k > 0 && (v.first?.isNumber ?? false || v == "-")
                return numeric ? pad + v : v + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var out = title.isEmpty ? "" : title + "\n"
        out += line(columns) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in text { out += line(row) + "\n" }
        if rows.isEmpty { out += "(none)\n" }
        return out
    }

    func renderCSV() -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = columns.map(field).joined(separator: ",") + "\n"
        for row in rows {
            out += row.map { cell -> String in
                if case .percent(let p) = cell { return p.map { String(format: "%.1f", $0) } ?? "" }
                return field(cell.description)
            }.joined(separator: ",") + "\n"
        }
        return out
    }

    func renderJSON() -> String {
        func string(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
                }
            }
            return out + "\""
        }
        let objects = rows.map { row -> String in
            "{" + zip(columns, row).map { name, cell -> String in
                let value: String
                switch cell {
                case .text(let s): value = string(s)
                case .int(let i): value = String(i)
                case .percent(let p): value = p.map { String(format: "%.1f", $0) } ?? "null"
                }
                return string(name) + ":" + value
            }.joined(separator: ",") + "}"
        }
        return "[" + objects.joined(separator: ",\n ") + "]\n"
    }
}
