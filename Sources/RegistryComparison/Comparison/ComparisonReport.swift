import RegistryDomain

/// What a comparison run did: rows read and what became of them, the rejected rows (line and reason, never the
/// data), the findings ended, and the new survey targets per county. `Codable`: the command prints it as a table
/// or as JSON.
public struct ComparisonReport: Sendable, Hashable, Codable {
    /// The feed.
    public var feed: FeedDescription
    /// The file read.
    public var file: String
    /// Its encoding (given or detected).
    public var encoding: FeedEncoding
    /// Data rows read (the header not counted).
    public var rowsRead = 0
    /// Rows about a person or employer already in the registry.
    public var matched = 0
    /// Persons with no stream before the row (registered from the population feed, else recorded as findings).
    public var newPersons = 0
    /// Of ``newPersons``, those registered (population feed).
    public var registered = 0
    /// Employers registered (market-regulation feed).
    public var newEmployers = 0
    /// Matched rows that added a fact.
    public var changed = 0
    /// Matched rows that added nothing.
    public var unchanged = 0
    /// Rows not recorded.
    public var rejected = 0
    /// Persons the feed no longer lists whose findings from this department ended.
    public var ended = 0
    /// Facts appended.
    public var eventsAppended = 0
    /// Facts proposed that the store already held (a resumed run).
    public var eventsAlreadyPresent = 0
    /// Rejected rows per code.
    public var rejectedByCode: [String: Int] = [:]
    /// The first rejected rows (up to ``ComparisonOptions/rejectionsKept``), in line order.
    public var rejections: [RowRejection] = []
    /// New survey targets per county (when counted).
    public var surveyTargets: [CountyTargets]?
    /// The log position after the run.
    public var headPosition: UInt64 = 0
    /// Seconds the run took (reading the registry included).
    public var seconds: Double = 0

    /// Creates an empty report.
    public init(feed: FeedDescription, file: String, encoding: FeedEncoding) {
        self.feed = feed
        self.file = file
        self.encoding = encoding
    }

    /// Counts a rejection, keeping the first `keep` in full.
    mutating func reject(_ r: RowRejection, keep: Int) {
        rejected += 1
        rejectedByCode[r.code.rawValue, default: 0] += 1
        if rejections.count < keep { rejections.append(r) }
    }
}

/// Survey targets in one county: persons to dispatch before and after a run, and how many of them are new.
public struct CountyTargets: Sendable, Hashable, Codable {
    /// The county (6 digits), or `unknown`.
    public var county: String
    /// Persons to dispatch before the run.
    public var before: Int
    /// Persons to dispatch after it.
    public var after: Int
    /// Persons to dispatch after it who were not before.
    public var new: Int

    /// Creates a row.
    public init(county: String, before: Int, after: Int, new: Int) {
        self.county = county
        self.before = before
        self.after = after
        self.new = new
    }
}
