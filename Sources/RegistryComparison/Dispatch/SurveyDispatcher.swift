import Crypto
import EventLog
import Foundation
import RegistryDomain
import RegistryProjections

/// Turns an area's "to dispatch" list (the worklist view: persons who must be visited and have no task; inmates,
/// the deceased and the insured elsewhere are not on it) into `SurveyTaskDispatched` facts, each assigned to the
/// team of the person's community.
///
/// Idempotent: a person with a task is no longer "to dispatch", so a second run dispatches nobody twice; each
/// append expects the person's stream version, and the task and event ids are derived from the person and that
/// version, so two dispatchers racing dispatch a person once.
public struct SurveyDispatcher<S: EventStore>: Sendable {
    /// The store.
    public let store: S
    /// Who visits where.
    public var teams: TeamAssignment
    /// The worklist view's settings.
    public var settings: ProjectionSettings = .standard
    /// Why the persons are surveyed.
    public var reason: SurveyTaskReason = .unenrolledAfterComparison
    /// Who dispatches (the facts' actor).
    public var actor = "operator:dispatch"
    /// Facts per append.
    public var batchSize = 5_000

    /// A dispatcher.
    public init(store: S, teams: TeamAssignment) {
        self.store = store
        self.teams = teams
    }

    /// Dispatches the area's "to dispatch" list.
    /// - Parameters:
    ///   - area: a county, street or community.
    ///   - time: when the tasks are dispatched (their effective time, and the worklist's evaluation instant).
    ///   - dryRun: count without appending.
    /// - Returns: the report.
    public func dispatch(area: DivisionCode, at time: Timestamp = .now, dryRun: Bool = false) async throws -> DispatchReport {
        var pair = ProjectionPair(RegistryKnowledge(), RegistryFold(settings: settings))
        try await ProjectionEngine.catchUp(&pair, from: store)
        let knowledge = pair.first
        var report = DispatchReport(area: area.value)
        var rows: [String: DispatchRow] = [:]
        var pending: [StreamAppend] = []
        var pendingRows: [String] = []
        var pendingTasks: [DispatchedTask] = []

        func flush() async throws {
            guard !pending.isEmpty else { return }
            let results = try await store.append(pending)
            for ((key, task), result) in zip(zip(pendingRows, pendingTasks), results) {
                switch result {
                case .success(let appended):
                    report.dispatched += 1
                    var task = task
                    task.streamVersion = appended.streamVersion
                    report.tasks.append(task)
                case .failure:
                    report.conflicts += 1
                    rows[key]!.persons -= 1
                }
            }
            pending.removeAll(keepingCapacity: true)
            pendingRows.removeAll(keepingCapacity: true)
            pendingTasks.removeAll(keepingCapacity: true)
        }

        for entry in pair.second.worklist(at: time) where entry.state == .toDispatch {
            guard Area.truncate(entry.division, to: area.level) == area.padded else { continue }
            report.toDispatch += 1
            let community = Area.name(entry.division, level: .community)
            let team = teams.team(for: entry.division)
            let rowKey = community + "|" + (team ?? "")
            rows[rowKey, default: DispatchRow(community: community, team: team, persons: 0)].persons += 1
            guard let team else { report.unassigned += 1; continue }
            guard !dryRun, let division = DivisionCode(padded: entry.division), let id = CitizenID(leadingDigits: entry.key),
                  let index = knowledge.lookup(entry.key) else { continue }
            let version = knowledge[index].version
            let taskID = Self.id("task", key: entry.key, version: version)
            let event = RegistryEvent.surveyTaskDispatched(SurveyTaskDispatched(taskID: taskID, division: division, reason: reason, assignee: team))
            pending.append(StreamAppend(
                stream: id.streamID, expected: version >= 0 ? .exactly(UInt64(version)) : .noStream,
                events: [event.proposed(id: Self.id("event", key: entry.key, version: version), effective: time,
                                        metadata: EventMetadata(actor: actor, headers: ["dispatch-area": area.value]))]))
            pendingRows.append(rowKey)
            pendingTasks.append(DispatchedTask(person: id, taskID: taskID, division: division, team: team))
            if pending.count >= batchSize { try await flush() }
        }
        try await flush()
        report.rows = rows.keys.sorted().map { rows[$0]! }
        return report
    }

    /// A deterministic id for a person's stream at a version.
    static func id(_ purpose: String, key: UInt64, version: Int64) -> UUID {
        let digest = SHA256.hash(data: Array("coverage-registry-dispatch\u{0}\(purpose)\u{0}\(key)\u{0}\(version)".utf8))
        var b = Array(digest.prefix(16))
        b[6] = (b[6] & 0x0F) | 0x50
        b[8] = (b[8] & 0x3F) | 0x80
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}
