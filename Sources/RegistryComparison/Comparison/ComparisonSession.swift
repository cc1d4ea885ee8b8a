import EventLog
import Foundation
import RegistryDomain
import RegistryProjections

/// Compares department feeds with the registry, one after another, on one store.
///
/// ``prepare(progress:)`` folds the log into the ``RegistryKnowledge`` (and, when survey targets are counted,
/// the worklist view) once; each ``compare(file:feed:progress:)`` then reads a feed row by row, checks it,
/// compares it (``Comparator``) and appends what is new in batches of ``ComparisonOptions/batchRows`` rows, one
/// durable `append` per batch with every stream's expected version. Memory is bounded by the registry (the
/// knowledge, one bit per person for the rows seen), not by the feed.
///
/// Re-running a feed appends nothing (everything is known); a run killed halfway resumes from what its durable
/// batches recorded, and the deterministic event ids (``FeedEventID``) make a fact proposed twice a no-op.
public struct ComparisonSession<S: EventStore>: Sendable {
    /// The store.
    public let store: S
    /// The settings.
    public let options: ComparisonOptions
    /// What the registry knows, kept up to date by each run.
    public private(set) var knowledge: RegistryKnowledge
    /// The worklist view (when survey targets are counted).
    public private(set) var model: RegistryFold?

    /// A session on a store.
    public init(store: S, options: ComparisonOptions = ComparisonOptions()) {
        self.store = store
        self.options = options
        knowledge = RegistryKnowledge()
        model = options.countsSurveyTargets ? RegistryFold(settings: options.projectionSettings) : nil
    }

    /// Folds the log (from where the session stopped) into the knowledge and the worklist view.
    /// - Returns: the number of records read.
    @discardableResult
    public mutating func prepare(progress: ((ComparisonProgress) -> Void)? = nil) async throws -> Int {
        let report: ((ProjectionProgress) -> Void)? = progress.map { p in
            { p(ComparisonProgress(phase: .readingRegistry, done: $0.events, fraction: $0.fraction)) }
        }
        if var model {
            var pair = ProjectionPair(knowledge, model)
            knowledge = RegistryKnowledge()  // release the copy while folding
            self.model = nil
            let n = try await ProjectionEngine.catchUp(&pair, from: store, progress: report)
            knowledge = pair.first
            model = pair.second
            self.model = model
            return n
        }
        return try await ProjectionEngine.catchUp(&knowledge, from: store, progress: report)
    }

    /// Compares one feed file and appends what is new.
    /// - Parameters:
    ///   - file: the CSV file.
    ///   - feed: its kind, name and date.
    ///   - progress: called now and then.
    /// - Returns: the report.
    /// - Throws: ``ComparisonError`` for a file that cannot be read as a feed of its kind (nothing appended
    ///   then, if the header is wrong; the batches before a later failure stay recorded); the store's errors.
    public mutating func compare(file: String, feed: FeedDescription, progress: ((ComparisonProgress) -> Void)? = nil) async throws -> ComparisonReport {
        let start = DispatchTime.now().uptimeNanoseconds
        try await prepare(progress: progress)
        let reader = try FeedReader(path: file, kind: feed.kind, encoding: options.encoding)
        var report = ComparisonReport(feed: feed, file: file, encoding: reader.encoding)
        let evaluation = options.evaluationTime ?? max(Timestamp.now, CalendarDate(daysSinceEpoch: feed.date.daysSinceEpoch + 1).startTimestamp)
        let targetsBefore = model.map { SurveyTargets($0, at: evaluation) }

        var comparator = Comparator(feed: feed)
        var appender = PipelinedAppender(store: store)
        var pending: [(Comparator.Append, Kind)] = []
        pending.reserveCapacity(options.batchRows)
        do {
            while let row = try reader.next() {
                report.rowsRead += 1
                switch FeedRecord.parse(row, kind: feed.kind, feedDate: feed.date, divisions: options.divisions) {
                case .failure(let rejection):
                    report.reject(rejection, keep: options.rejectionsKept)
                case .success(let record):
                    switch comparator.compare(record, line: row.line, knowledge: &knowledge) {
                    case .unchanged: report.matched += 1; report.unchanged += 1
                    case .rejected(let rejection): report.reject(rejection, keep: options.rejectionsKept)
                    case .newPerson(let a): pending.append((a, a.events.first?.type == PersonRegistered.typeName ? .registered : .newPerson))
                    case .newEmployer(let a): pending.append((a, .newEmployer))
                    case .changed(let a): pending.append((a, .changed))
                    }
                }
                if pending.count >= options.batchRows {
                    try await account(appender.submit(&pending), into: &report)
                    progress?(ComparisonProgress(phase: .comparing, done: report.rowsRead, fraction: reader.fraction))
                } else if report.rowsRead & 0x3FFF == 0 {
                    progress?(ComparisonProgress(phase: .comparing, done: report.rowsRead, fraction: reader.fraction))
                }
            }
            try await account(appender.submit(&pending), into: &report)
            progress?(ComparisonProgress(phase: .ending, done: report.rowsRead, fraction: 1))
            let endings = comparator.endings(in: &knowledge)
            for chunk in stride(from: 0, to: endings.count, by: options.batchRows) {
                var batch = endings[chunk..<min(endings.count, chunk + options.batchRows)].map { ($0, Kind.ended) }
                try await account(appender.submit(&batch), into: &report)
            }
            try await account(appender.finish(), into: &report)
        } catch {
            await appender.abandon()
            throw error
        }

        if var model {
            try await ProjectionEngine.catchUp(&model, from: store)
            self.model = model
            if let targetsBefore {
                report.surveyTargets = SurveyTargets.compare(before: targetsBefore, after: SurveyTargets(model, at: evaluation))
            }
        }
        // The knowledge already holds what this run appended. The next run's prepare folds those records again (each
        // sets what the knowledge already says, so the state is unchanged) along with anything another writer added.
        report.rejections.sort { $0.line < $1.line }
        report.headPosition = try await store.headPosition()
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return report
    }

    /// What a pending append counts as.
    enum Kind: Sendable { case registered, newPerson, newEmployer, changed, ended }

    /// Counts what became of each row of a batch the store has answered.
    private mutating func account(_ done: PipelinedAppender<S>.Done?, into report: inout ComparisonReport) {
        guard let done else { return }
        for ((append, kind), result) in zip(done.pending, done.results) {
            switch result {
            case .success(let r):
                if r.wasAlreadyAppended { report.eventsAlreadyPresent += append.events.count } else { report.eventsAppended += append.events.count }
                switch kind {
                case .registered: report.newPersons += 1; report.registered += 1
                case .newPerson: report.newPersons += 1
                case .newEmployer: report.newEmployers += 1
                case .changed: report.matched += 1; report.changed += 1
                case .ended: report.ended += 1
                }
            case .failure(let error):
                if let p = append.person { knowledge[p].flags |= KnownPerson.Flags.conflicted }
                if let line = append.line {
                    report.reject(RowRejection(line: line, .conflict, "the store refused the facts (\(error.code)); re-run the feed"), keep: options.rejectionsKept)
                }
            }
        }
    }
}

/// Appends batches one behind the comparison: batch *k* is written (and fsynced) by the store while batch *k+1* is
/// read and compared, so reading and writing share the two cores. At most one batch is in flight; its answer is
/// collected before the next is sent, so the appends stay in order.
///
/// A fact of batch *k+1* for a person whose batch-*k* facts were refused expects a version the stream never
/// reached, so it is refused too: no fact ever lands on a state that did not exist.
struct PipelinedAppender<S: EventStore>: Sendable {
    let store: S
    private var inFlight: (task: Task<[Result<AppendResult, EventLogError>], any Error>, pending: [(Comparator.Append, ComparisonSession<S>.Kind)])?

    /// A batch the store has answered.
    struct Done {
        var pending: [(Comparator.Append, ComparisonSession<S>.Kind)]
        var results: [Result<AppendResult, EventLogError>]
    }

    init(store: S) { self.store = store }

    /// Sends a batch (emptying `pending`) and returns the answer to the one before, if any.
    mutating func submit(_ pending: inout [(Comparator.Append, ComparisonSession<S>.Kind)]) async throws -> Done? {
        let previous = try await collect()
        guard !pending.isEmpty else { return previous }
        let requests = pending.map { StreamAppend(stream: $0.0.stream, expected: $0.0.expected, events: $0.0.events) }
        let store = self.store
        inFlight = (Task { try await store.append(requests) }, pending)
        pending.removeAll(keepingCapacity: true)
        return previous
    }

    /// Waits for the batch in flight.
    mutating func finish() async throws -> Done? { try await collect() }

    /// Waits for the batch in flight after a failure, ignoring its answer (its facts are durable or not, as the
    /// store said; a re-run finds out which).
    mutating func abandon() async {
        if let flight = inFlight { _ = try? await flight.task.value }
        inFlight = nil
    }

    private mutating func collect() async throws -> Done? {
        guard let flight = inFlight else { return nil }
        inFlight = nil
        return Done(pending: flight.pending, results: try await flight.task.value)
    }
}

extension FeedReader {
    /// The fraction of the file read.
    var fraction: Double? { byteCount > 0 ? min(1, Double(bytesRead) / Double(byteCount)) : nil }
}
