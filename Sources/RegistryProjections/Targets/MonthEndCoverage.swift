import EventLog
import RegistryDomain

/// The coverage view at each month's end of a range, built in one pass: one ``RegistryFold`` per month, each cut at
/// that month's last day (and at the same recorded-time cut-off), for the coverage rate of the monthly series.
public struct MonthEndCoverage: Projection, Sendable {
    /// The folds by month.
    public private(set) var folds: [YearMonth: RegistryFold]

    /// One fold per month of `from...to`.
    public init(settings: ProjectionSettings, from: YearMonth, to: YearMonth, cutoff: ReplayCutoff = .none) {
        var folds: [YearMonth: RegistryFold] = [:]
        for m in from.index...max(from.index, to.index) {
            let month = YearMonth(index: m)!
            let end = LocalCalendar.startOfDay(month.lastDay.year * 10_000 + month.lastDay.month * 100 + month.lastDay.day, offset: settings.utcOffsetSeconds)
                + 86_400_000_000 - 1
            var effective = Timestamp(microsecondsSinceEpoch: end)
            if let e = cutoff.effectiveBy, e < effective { effective = e }
            folds[month] = RegistryFold(settings: settings, cutoff: ReplayCutoff(effectiveBy: effective, recordedBy: cutoff.recordedBy))
        }
        self.folds = folds
    }

    /// The lowest position every fold has reached.
    public var position: LogPosition { folds.values.map(\.position).min() ?? 0 }

    /// Folds a batch into every month.
    public mutating func apply(_ records: RecordViews) throws {
        for k in folds.keys { try folds[k]!.apply(records) }
    }
}
