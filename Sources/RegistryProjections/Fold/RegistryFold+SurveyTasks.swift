import EventLog
import RegistryDomain

// Survey tasks: every task is its own record, moving through the shared `SurveyTask.State`. A person's tasks are
// chained from their record (latest first): a person has a few, and walking them beats hashing a task id per fact.

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
    /// The same person's task dispatched before this one, or -1.
    var previous: Int32
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

    /// The person's task with this id, or nil.
    @inline(__always)
    func task(_ id: UUIDKey, of rec: PersonRecord) -> Int? {
        var k = rec.lastTask
        while k >= 0 {
            if tasks[Int(k)].id == id { return Int(k) }
            k = tasks[Int(k)].previous
        }
        return nil
    }

    mutating func dispatchTask(_ id: UUIDKey, _ rec: inout PersonRecord, person p: Int32, division: UInt64, effective: Int64) {
        guard task(id, of: rec) == nil else { return }  // a task id is dispatched once per person (the rules refuse a second)
        tasks.append(SurveyTaskRecord(id: id, person: p, division: division, dispatchedAt: effective, changedAt: effective,
                                      state: .dispatched, rejections: 0, previous: rec.lastTask))
        rec.lastTask = Int32(tasks.count - 1)
    }

    mutating func advanceTask(_ id: UUIDKey, _ rec: PersonRecord, effective: Int64, _ transition: (SurveyTask.State) -> SurveyTask.State) {
        guard let k = task(id, of: rec) else { return }
        let next = transition(tasks[k].state)
        if next == .sentBack { tasks[k].rejections &+= 1 }
        tasks[k].state = next
        tasks[k].changedAt = effective
    }
}
