import Foundation

/// Where a store is: a file-store directory or a PostgreSQL connection string.
///
/// Parsed from `--store`: text starting with `postgresql://` or `postgres://` names a PostgreSQL store, anything
/// else a directory.
enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// A file store in this directory.
    case directory(String)
    /// A PostgreSQL store reached with this libpq connection string.
    case postgres(String)

    /// Reads a `--store` value.
    init(_ text: String) {
        let lower = text.lowercased()
        if lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://") {
            self = .postgres(text)
        } else {
            self = .directory(text)
        }
    }

    /// The place for messages: the directory, or the connection URL without its password and parameters.
    var description: String {
        switch self {
        case .directory(let path): return path
        case .postgres(let url):
            guard var parts = URLComponents(string: url) else { return "the PostgreSQL store" }
            if parts.password != nil { parts.password = "***" }
            parts.query = nil
            return parts.string ?? "the PostgreSQL store"
        }
    }

    /// Whether this is a file-store directory that exists.
    var directoryExists: Bool {
        guard case .directory(let path) = self else { return false }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
