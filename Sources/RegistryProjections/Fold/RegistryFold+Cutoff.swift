import EventLog

extension RegistryFold {
    /// The same state, folding from now on only the records `cutoff` admits.
    ///
    /// The result is the fold of the log with `cutoff` up to ``position`` only when every record up to there passes
    /// `cutoff` (a fold of the whole log stamped with ``CutoffStamped`` says when: ``CutoffStamped/answers(_:)``);
    /// folding the records after ``position`` then gives the cut-off view without replaying what came before.
    public func narrowed(to cutoff: ReplayCutoff) -> RegistryFold {
        var fold = self
        fold.cutoff = cutoff
        return fold
    }
}
