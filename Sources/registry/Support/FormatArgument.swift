import ArgumentParser
import RegistryProjections

/// How a view is printed: `--format table|csv|json`.
enum FormatArgument: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, csv, json

    /// The projections' output format.
    var outputFormat: OutputFormat {
        switch self {
        case .table: .table
        case .csv: .csv
        case .json: .json
        }
    }
}
