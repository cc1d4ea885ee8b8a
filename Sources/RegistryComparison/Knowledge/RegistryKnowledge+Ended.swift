import EventLog
import RegistryDomain

extension RegistryKnowledge {
    /// Folds a `SourceFindingEnded` record: the department no longer reports the finding.
    mutating func applyEnded(_ record: RecordView, person: Int) throws {
        guard case .sourceFindingEnded(let e) = try RegistryEvent.decode(record), e.finding != .deceased else { return }
        end(e.finding, of: person)
    }
}
