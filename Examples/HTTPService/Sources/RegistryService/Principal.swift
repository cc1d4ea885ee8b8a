import RegistryDomain

/// Who is calling, from their bearer token: a surveyor limited to their grid, a reviewer of one level, or staff.
///
/// Area-scoped access (seed 002 art. 31-33): a surveyor sees and records only the tasks and areas inside their
/// grid (a street or a community); staff see every area.
public struct Principal: Sendable, Hashable {
    /// What the caller may do.
    public enum Role: Sendable, Hashable {
        /// Records visits inside a grid and reads its worklist and coverage.
        case surveyor(grid: DivisionCode)
        /// Records review decisions at one level.
        case reviewer(level: ReviewLevel)
        /// Reads every view and history; may reveal personal data (recorded).
        case staff
    }

    /// The caller's id, recorded as the actor of what they append (`surveyor:S-1`).
    public var id: String
    /// What the caller may do.
    public var role: Role

    /// Creates a principal.
    public init(id: String, role: Role) {
        self.id = id
        self.role = role
    }

    /// The actor recorded in the log.
    public var actor: String {
        switch role {
        case .surveyor: "surveyor:\(id)"
        case .reviewer: "reviewer:\(id)"
        case .staff: "staff:\(id)"
        }
    }

    /// Whether the caller may see an area: staff and reviewers everywhere, a surveyor inside their grid.
    public func maySee(_ area: DivisionCode) -> Bool {
        switch role {
        case .surveyor(let grid): grid.contains(area)
        case .reviewer, .staff: true
        }
    }
}
