import Foundation
import RegistryDomain

/// What a dispatch run did: tasks dispatched per community and team, and the persons left undispatched because
/// no team covers their community. `Codable`.
public struct DispatchReport: Sendable, Hashable, Codable {
    /// The area dispatched (6, 9 or 12 digits).
    public var area: String
    /// Persons on the area's "to dispatch" list when the run started.
    public var toDispatch = 0
    /// Tasks dispatched.
    public var dispatched = 0
    /// Persons with no team for their community (not dispatched).
    public var unassigned = 0
    /// Persons whose stream changed under the run (not dispatched; a re-run dispatches them).
    public var conflicts = 0
    /// Per community and team.
    public var rows: [DispatchRow] = []
    /// The tasks dispatched, for the caller (not in the JSON form: they name persons).
    public var tasks: [DispatchedTask] = []

    /// An empty report.
    public init(area: String) { self.area = area }

    enum CodingKeys: String, CodingKey { case area, toDispatch, dispatched, unassigned, conflicts, rows }
}

/// A survey task a dispatch run created.
public struct DispatchedTask: Sendable, Hashable {
    /// The person.
    public var person: CitizenID
    /// The task's id.
    public var taskID: UUID
    /// The community it is dispatched to.
    public var division: DivisionCode
    /// The team.
    public var team: String
    /// The person's stream version after the dispatch (what a next fact expects).
    public var streamVersion: UInt64 = 0
}

/// Tasks dispatched in one community to one team (team nil: persons left unassigned).
public struct DispatchRow: Sendable, Hashable, Codable {
    /// The community (or the finest known division).
    public var community: String
    /// The team, or nil for the unassigned.
    public var team: String?
    /// Persons.
    public var persons: Int

    /// Creates a row.
    public init(community: String, team: String?, persons: Int) {
        self.community = community
        self.team = team
        self.persons = persons
    }
}
