import ArgumentParser
import Foundation

/// How `import`, `verify` and `replay` print their report: `--format text|json`.
///
/// JSON is one object on one line (keys sorted), for scripts and monitoring; personal data stays masked as in
/// the text.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json

    /// One line of JSON for a report.
    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding our own plain structs cannot fail; a failure would be a bug, reported as such.
        guard let data = try? encoder.encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
