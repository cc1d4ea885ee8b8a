import EventLog

/// How far a replay has come: what a progress bar shows.
public struct ProjectionProgress: Sendable, Hashable {
    /// Records read so far in this replay.
    public var events: Int
    /// The position reached.
    public var position: LogPosition
    /// The head of the log when the replay started.
    public var target: LogPosition
    /// Seconds since the replay started.
    public var elapsed: Double

    /// Records per second so far.
    public var eventsPerSecond: Double { elapsed > 0 ? Double(events) / elapsed : 0 }

    /// The fraction done, 0 to 1.
    public var fraction: Double { target == 0 ? 1 : min(1, Double(position) / Double(target)) }
}
