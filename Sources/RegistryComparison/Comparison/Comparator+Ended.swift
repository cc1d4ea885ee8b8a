import RegistryDomain

extension Comparator {
    /// The fact that a department no longer reports a finding (`SourceFindingEnded`), or nil while the log has
    /// no such event type.
    static func endedEvent(department: Department, finding: SourceFinding) -> RegistryEvent? {
        nil
    }
}
