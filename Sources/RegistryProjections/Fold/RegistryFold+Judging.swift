import EventLog
import RegistryDomain

extension RegistryFold {
    /// A person's standing and whether they have any survey task, by their person key; nil for a person the fold has
    /// not met. For ``FoldPersonStates``.
    public func judgingStanding(ofPersonKey key: UInt64) -> (standing: PersonStanding, hasSurveyTasks: Bool)? {
        guard let number = index[key] else { return nil }
        let rec = persons[Int(number)]
        return (rec.standing, rec.lastTask >= 0)
    }
}
