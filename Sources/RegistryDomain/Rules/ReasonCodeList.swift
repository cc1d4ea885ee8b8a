/// The configurable list of reason codes a ``StatusMarked`` event may carry, per mark.
///
/// The default list has a few codes per mark, such as `U01` (unwilling: cannot afford contributions); a city
/// configures its own with ``init(codes:)``.
public struct ReasonCodeList: Sendable, Hashable {
    /// One reason code.
    public struct Entry: Sendable, Hashable {
        /// The code, such as `U01`.
        public var code: String
        /// The mark the code belongs to.
        public var mark: StatusMark
        /// What the code means.
        public var meaning: String
        /// Whether the code is a reason to withdraw the mark (released, now willing) rather than to set it.
        public var withdraws: Bool

        /// Creates an entry.
        public init(code: String, mark: StatusMark, meaning: String, withdraws: Bool = false) {
            self.code = code
            self.mark = mark
            self.meaning = meaning
            self.withdraws = withdraws
        }
    }

    /// The entries by code.
    public let entries: [String: Entry]

    /// Creates a list.
    /// - Parameter codes: the entries; a code appearing twice keeps the last.
    public init(codes: [Entry]) {
        entries = Dictionary(codes.map { ($0.code, $0) }, uniquingKeysWith: { _, b in b })
    }

    /// Whether `code` is a reason for `mark`.
    public func allows(_ code: String, for mark: StatusMark) -> Bool { entries[code].map { $0.mark == mark && !$0.withdraws } ?? false }

    /// Whether `code` is a reason to withdraw `mark`.
    public func allowsWithdrawal(_ code: String, of mark: StatusMark) -> Bool { entries[code].map { $0.mark == mark && $0.withdraws } ?? false }

    /// The default list.
    public static let `default` = ReasonCodeList(codes: [
        Entry(code: "U01", mark: .unwilling, meaning: "cannot afford contributions"),
        Entry(code: "U02", mark: .unwilling, meaning: "does not see the benefit"),
        Entry(code: "U03", mark: .unwilling, meaning: "near or past retirement age"),
        Entry(code: "W01", mark: .workingElsewhere, meaning: "working in another city"),
        Entry(code: "W02", mark: .workingElsewhere, meaning: "working abroad"),
        Entry(code: "S01", mark: .studying, meaning: "full-time student"),
        Entry(code: "D01", mark: .deceased, meaning: "death confirmed by civil affairs"),
        Entry(code: "D02", mark: .deceased, meaning: "death reported by the family"),
        Entry(code: "M01", mark: .militaryService, meaning: "in active service"),
        Entry(code: "P01", mark: .imprisoned, meaning: "serving a sentence"),
        Entry(code: "E01", mark: .insuredElsewhere, meaning: "insured in another province"),
        Entry(code: "E02", mark: .insuredElsewhere, meaning: "insured in another city of the province"),
        Entry(code: "U90", mark: .unwilling, meaning: "now willing to enrol", withdraws: true),
        Entry(code: "W90", mark: .workingElsewhere, meaning: "back from working elsewhere", withdraws: true),
        Entry(code: "S90", mark: .studying, meaning: "studies finished", withdraws: true),
        Entry(code: "M90", mark: .militaryService, meaning: "back from military service", withdraws: true),
        Entry(code: "P90", mark: .imprisoned, meaning: "released from prison", withdraws: true),
        Entry(code: "E90", mark: .insuredElsewhere, meaning: "no longer insured elsewhere", withdraws: true),
    ])
}
