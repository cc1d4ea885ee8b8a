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

    /// An empty report.
    public init(area: String) { self.area = area }
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
