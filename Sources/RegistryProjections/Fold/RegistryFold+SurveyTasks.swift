import EventLog
import RegistryDomain

// Survey tasks: every task is its own record, found by its id, and moves through the shared `SurveyTask.State`.

/// One survey task as the worklist follows it.
struct SurveyTaskRecord: Hashable, Sendable {
    var id: UUIDKey
    /// The person's number.
    var person: Int32
    var division: UInt64
    var dispatchedAt: Int64
    var changedAt: Int64
    var state: SurveyTask.State
    var rejections: UInt16
}

extension RegistryFold {
    /// Where a worklist entry stands: a person to dispatch, or a task in one of the shared ``SurveyTask/State``s.
    public enum TaskState: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case toDispatch = 0, dispatched, visited, streetApproved, districtConfirmed, sentBack

        /// The worklist state of a task.
        init(_ s: SurveyTask.State) {
            switch s {
            case .dispatched: self = .dispatched
            case .visited: self = .visited
            case .streetApproved: self = .streetApproved
            case .districtConfirmed: self = .districtConfirmed
            case .sentBack: self = .sentBack
            }
        }

        public var description: String {
            switch self {
            case .toDispatch: "to dispatch"
            case .dispatched: SurveyTask.State.dispatched.description
            case .visited: SurveyTask.State.visited.description
            case .streetApproved: SurveyTask.State.streetApproved.description
            case .districtConfirmed: SurveyTask.State.districtConfirmed.description
            case .sentBack: SurveyTask.State.sentBack.description
            }
        }
    }

    mutating func dispatchTask(_ id: UUIDKey, person p: Int32, division: UInt64, effective: Int64) {
        guard taskIndex[id] == nil else { return }  // a task id is dispatched once (the rules refuse a second)
        taskIndex[id] = Int32(tasks.count)
        tasks.append(SurveyTaskRecord(id: id, person: p, division: division, dispatchedAt: effective, changedAt: effective,
                                      state: .dispatched, rejections: 0))
    }

    mutating func advanceTask(_ id: UUIDKey, person p: Int32, effective: Int64, _ transition: (SurveyTask.State) -> SurveyTask.State) {
        guard let k = taskIndex[id], tasks[Int(k)].person == p else { return }
        let next = transition(tasks[Int(k)].state)
        if next == .sentBack { tasks[Int(k)].rejections &+= 1 }
        tasks[Int(k)].state = next
        tasks[Int(k)].changedAt = effective
    }

    /// The persons with a task the district has not confirmed.
    func personsWithOpenTasks() -> Set<Int32> {
        var open = Set<Int32>()
        for t in tasks where t.state != .districtConfirmed { open.insert(t.person) }
        return open
    }
}
