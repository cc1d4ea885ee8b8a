import RegistryComparison

extension CommandFailure {
    /// The words for a comparison or dispatch error (no personal data: it names files, lines and columns).
    static func comparisonMessage(_ e: ComparisonError) -> String {
        "the feed cannot be compared: \(e)"
    }

    /// What to do about a comparison error.
    static func comparisonFix(_ e: ComparisonError) -> String? {
        switch e.code {
        case .badHeader: "give the feed a header row with the columns of its kind (README, \"Department feeds\")"
        case .badEncoding: "give --encoding utf-8 or gb18030, or convert the file"
        case .malformedCSV: "check the quoting near that line (a field with a comma or a line break must be in double quotes)"
        case .badMapping: "fix that line of the file"
        default: nil
        }
    }
}
