extension EventLogError.Code {
    /// The store's server cannot be reached (refused, timed out, lost before connecting): worth retrying later.
    public static let unavailable = Self(rawValue: "unavailable")
    /// The store refused for lack of a privilege (a role without `INSERT`, a directory without write permission).
    public static let permissionDenied = Self(rawValue: "permission-denied")
}
