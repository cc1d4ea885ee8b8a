extension CommandFailure {
    /// The failure every command that takes input rows (`import`'s JSON Lines, `compare`'s feeds) ends with when
    /// some were rejected, after its report is printed: one line on standard error, in one shape for all of them,
    /// `<rejected> of <read> <unit> rejected (<sources>); …`, and EX_DATAERR (65). What was accepted stays
    /// recorded, and a re-run records it only once.
    /// - Parameters:
    ///   - rejected: the rows or lines rejected.
    ///   - read: the rows or lines read (blank lines not counted).
    ///   - unit: what was read, in the plural: `lines`, `rows`.
    ///   - sources: the inputs that had rejected rows (file names or `standard input`: never their contents).
    static func rejectedInput(_ rejected: Int, of read: Int, _ unit: String, in sources: [String]) -> CommandFailure {
        CommandFailure(
            "\(rejected) of \(read) \(unit) rejected", at: sources.joined(separator: ", "),
            fix: "the report lists them; correct them and run again (what was accepted is recorded, and a re-run records it only once)",
            status: .dataError)
    }
}
