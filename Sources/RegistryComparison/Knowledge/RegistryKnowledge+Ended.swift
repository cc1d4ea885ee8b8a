import EventLog
import RegistryDomain

extension RegistryKnowledge {
    /// Folds a `SourceFindingEnded` record: the department no longer reports the finding.
    mutating func applyEnded(_ record: RecordView, person: Int) throws {
        // The event type arrives with the person model (issue 10); until then no such record exists.
    }
}
