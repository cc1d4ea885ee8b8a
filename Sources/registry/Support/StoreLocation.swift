import Foundation

/// Where a store is: a file-store directory or a PostgreSQL connection string.
///
/// Parsed from `--store` (or `REGISTRY_STORE` when `--store` is not given), in every form libpq takes:
/// - `postgresql://…` or `postgres://…`: a libpq URI;
/// - `host=… dbname=…`: libpq's keyword form (text starting with `keyword=`);
/// - `postgres:` (or `postgresql:`) alone: the `PG*` environment variables only (`PGHOST`, `PGDATABASE`, …);
/// - anything else: a directory (write `./name=x` for a directory whose name looks like `keyword=`).
enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// A file store in this directory.
    case directory(String)
    /// A PostgreSQL store reached with this libpq connection string (empty: the `PG*` variables alone).
    case postgres(String)

    /// The environment variable naming the store when `--store` is not given.
    static let environmentVariable = "REGISTRY_STORE"
    /// The store when neither `--store` nor `REGISTRY_STORE` names one.
    static let defaultDirectory = "./registry-data"

    /// Reads a `--store` value.
    init(_ text: String) {
        let lower = text.lowercased()
        if lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://") {
            self = .postgres(text)
        } else if lower == "postgres:" || lower == "postgresql:" {
            self = .postgres("")
        } else if Self.isKeywordForm(text) {
            self = .postgres(text)
        } else {
            self = .directory(text)
        }
    }

    /// The store named by `--store`, else by `REGISTRY_STORE`, else `./registry-data`.
    init(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let option {
            self.init(option)
        } else if let named = environment[Self.environmentVariable], !named.isEmpty {
            self.init(named)
        } else {
            self = .directory(Self.defaultDirectory)
        }
    }

    /// Whether text is libpq's keyword form: it starts with `keyword=` (letters and underscores, spaces allowed
    /// around `=`), as in `host=/run/postgresql dbname=registry`.
    static func isKeywordForm(_ text: String) -> Bool {
        let trimmed = text.drop { $0 == " " }
        guard let equals = trimmed.firstIndex(of: "=") else { return false }
        let keyword = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
        return !keyword.isEmpty && keyword.allSatisfy { $0.isASCII && ($0.isLetter || $0 == "_") }
    }

    /// The place for messages: the directory, or the connection string without its password and parameters.
    var description: String {
        switch self {
        case .directory(let path): return path
        case .postgres(let connection):
            if connection.isEmpty { return "the PostgreSQL store of the PG* variables" }
            if Self.isKeywordForm(connection) { return Self.maskedKeywords(connection) }
            guard var parts = URLComponents(string: connection) else { return "the PostgreSQL store" }
            if parts.password != nil { parts.password = "***" }
            parts.query = nil
            return parts.string ?? "the PostgreSQL store"
        }
    }

    /// The keyword form with the value of `password` replaced by `***` (quoted values included).
    static func maskedKeywords(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: "password") {
            out += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let spaces = rest.prefix { $0 == " " }
            guard rest.dropFirst(spaces.count).first == "=" else { continue }
            rest = rest.dropFirst(spaces.count + 1)
            let after = rest.prefix { $0 == " " }
            out += spaces + "=" + after
            rest = rest.dropFirst(after.count)
            if rest.first == "'" {
                var i = rest.index(after: rest.startIndex)
                while i < rest.endIndex, rest[i] != "'" { i = rest[i] == "\\" ? rest.index(i, offsetBy: 2, limitedBy: rest.endIndex) ?? rest.endIndex : rest.index(after: i) }
                rest = i < rest.endIndex ? rest[rest.index(after: i)...] : ""
            } else {
                rest = rest.drop { $0 != " " }
            }
            out += "***"
        }
        return out + rest
    }

    /// Whether this is a file-store directory that exists.
    var directoryExists: Bool {
        guard case .directory(let path) = self else { return false }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
