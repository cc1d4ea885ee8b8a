import RegistryDomain

extension Comparator {
    /// The fact that a department no longer reports a finding (`SourceFindingEnded`), with the feed's name as
    /// its reference.
    func endedEvent(department: Department, finding: SourceFinding) -> RegistryEvent? {
        .sourceFindingEnded(SourceFindingEnded(department: department, finding: finding, reference: feed.name))
    }
}
