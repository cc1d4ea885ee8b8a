import EventLog
import RegistryDomain

// Survey tasks as the worklist follows them.

extension RegistryFold {
    /// A survey task's state as the worklist shows it.
    public enum TaskState: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible, Codable {
        case toDispatch = 0, dispatched, visited, streetApproved, districtConfirmed, sentBack
        public var description: String {
            switch self {
            case .toDispatch: "to dispatch"
            case .dispatched: "dispatched"
            case .visited: "visited"
            case .streetApproved: "street approved"
            case .districtConfirmed: "district confirmed"
            case .sentBack: "rejected, sent back"
            }
        }
    }

    struct Task: Hashable, Sendable {
        var id: UUIDKey
        var division: UInt64
        var dispatchedAt: Int64
        var changedAt: Int64
        var state: TaskState
        var rejections: UInt16
    }
}
