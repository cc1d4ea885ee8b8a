extension EventLogError.Code {
    /// The store's server cannot be reached (refused, timed out, lost): worth retrying later.
    public static let unavailable = Self(rawValue: "unavailable")
    /// The store refused for lack of a privilege (a role without `INSERT`, a directory without write permission).
    public static let permissionDenied = Self(rawValue: "permission-denied")
    /// There is no store where one was named (a read-only open of a directory or schema without a log).
    public static let notFound = Self(rawValue: "not-found")
}
