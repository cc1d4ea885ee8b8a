import RegistryDomain

/// What the views keep of one person: 64 bytes, one cache line, touched once per event.
struct PersonRecord: Hashable, Sendable, BitwiseCopyable {
    /// The person's key (the 17 leading digits of the citizen ID).
    var key: UInt64
    /// What their facts mean (coverage, findings, marks, divisions): the shared state machine.
    var standing = PersonStanding()
    /// The local day number (days since 1970-01-01) of the first fact about the person.
    var firstSeenDay: Int32
    /// The latest local day (`yyyymmdd`) the ledger has seen the person on: birthdays after it are still to pass.
    var lastDay: Int32
    /// The open ledger case, or -1.
    var openCase: Int32 = -1
    /// The person's latest survey task (the head of a chain through `SurveyTaskRecord.previous`), or -1.
    var lastTask: Int32 = -1

    init(key: UInt64, firstSeenDay: Int32, day: Int) {
        self.key = key
        self.firstSeenDay = firstSeenDay
        self.lastDay = Int32(day)
    }
}
