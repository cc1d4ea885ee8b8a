import EventLog

/// Every code an import can reject a line with: the list docs/REJECTIONS.md must cover (a test checks it).
///
/// A rejection's code comes from one of four places, and this list is derived from their own lists:
/// - the line's form (``EventFormatError/Code/all``): JSON, identifiers, streams, limits;
/// - the registry rules (``RuleViolation/Rule/all``), with rules on;
/// - the store, at append time (``storeCodes``);
/// - the importer itself: ``ImportReport/earlierLineRejected``.
public enum RejectionCatalogue {
    /// The codes a store can answer one append with (not failures of the store as a whole, which stop an import).
    public static let storeCodes: [EventLogError.Code] = [
        .wrongExpectedVersion, .duplicateEventID, .invalidEvent, .invalidStreamID,
    ]

    /// Every code, each once, in the order above.
    public static var codes: [String] {
        var seen: Set<String> = []
        let all = EventFormatError.Code.all.map(\.rawValue) + RuleViolation.Rule.all.map(\.rawValue)
            + storeCodes.map(\.rawValue) + [ImportReport.earlierLineRejected]
        return all.filter { seen.insert($0).inserted }
    }
}
