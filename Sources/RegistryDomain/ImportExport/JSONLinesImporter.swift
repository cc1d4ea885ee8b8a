import Foundation
import EventLog

/// Imports events in the JSON form (``JSONEventLine``), one per line, with a per-line report.
///
/// - Each line is read strictly (``JSONEventLine/parse(bytes:using:)``: RFC 8259, UTF-8, no duplicate keys), its
///   identifiers checked, the limits the store enforces checked (``JSONEventLine/checkStoreLimits(_:)``, so a line
///   the store would refuse is rejected here, with its own code, and never holds back later lines of its stream),
///   its stream checked (``JSONEventLine/checkStream()``) and,
///   with ``checkRules``, the registry rules applied against the stream's state (read from the store once, then
///   followed through the import).
/// - Lines are appended in batches of ``batchSize``, each line its own `StreamAppend` in one
///   `EventStore/append(_:)` call, so a bad line never takes other streams' lines with it. With ``checkRules``, a
///   batch holding several lines of one stream is sent in rounds (the k-th line of each stream in round k), and
///   when the store refuses a line, the later lines of its stream in the batch are reported
///   ``ImportReport/earlierLineRejected`` (they were judged on a state that included it). A rejected line appends
///   nothing; accepted lines are durable when the call returns.
/// - Re-running an import is safe: every line carries its event id, and a line already in the log is reported
///   ``ImportReport/Outcome/alreadyPresent(position:)`` (the store's idempotency), its rules not checked again.
/// - Rule-checked lines are appended expecting the version they were checked against, so a concurrent writer
///   (or an earlier line of the batch refused by the store) makes the line fail rather than bypass a rule.
/// - Blank lines are skipped and not reported.
public struct JSONLinesImporter<Store: EventStore>: Sendable {
    /// The store imported into.
    public let store: Store
    /// The rule configuration.
    public var rules: RegistryRules
    /// Whether person and employer lines are checked against the registry rules (on by default). Off, an import
    /// only checks the form, identifiers and streams: for restoring an export into an empty log at full speed.
    public var checkRules: Bool
    /// Lines per append call.
    public var batchSize: Int
    /// Whether the report keeps accepted lines too (true), or counts them and keeps only the rejected ones.
    public var reportsEveryLine: Bool
    /// Where the judging state of a person the store holds is taken from instead of their stream (with
    /// ``checkRules``), once ``personStatesAfter`` such streams were read: nil reads every stream. The report is the
    /// same either way (``PersonStateSource``).
    public var personStates: (any PersonStateSource)?
    /// How many known person streams are read before ``personStates`` is asked (a source may cost a load, worth it
    /// only for an import that meets many persons the store holds).
    public var personStatesAfter: Int = 4_096

    /// Creates an importer.
    public init(
        store: Store, rules: RegistryRules = .default, checkRules: Bool = true, batchSize: Int = 1000,
        reportsEveryLine: Bool = true
    ) {
        self.store = store
        self.rules = rules
        self.checkRules = checkRules
        self.batchSize = max(1, batchSize)
        self.reportsEveryLine = reportsEveryLine
    }

    // The batch's types are outside this generic type, so that their copies and arrays are concrete code, not
    // calls through value witnesses (the importer is generic over the store and is not specialised across modules).
    typealias Pending = ImportBatch.Pending
    typealias Followed = ImportBatch.Followed
    typealias BatchKey = ImportBatch.BatchKey
    typealias Tracker = ImportBatch.Tracker
    typealias Sent = ImportBatch.Sent
    typealias Sending = ImportBatch.Sending

    /// Imports the lines of a text (split on newlines). The text is already Unicode: to reject invalid UTF-8,
    /// import the bytes (``importLines(_:)`` with `[UInt8]` lines, or ``importFile(at:)``).
    /// - Throws: only failures of the store as a whole; per-line problems are in the report.
    public func importText(_ text: String) async throws -> ImportReport {
        try await importLines(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    /// The streams followed at most at once: past this many, the states are dropped (and later lines re-read their
    /// stream), which bounds the memory of an import of any size.
    static var maximumFollowedStreams: Int { 1_000_000 }

    /// Imports lines.
    /// - Parameter lines: the JSON Lines, in order; line numbers count from 1 over this sequence.
    /// - Returns: one report entry per non-blank line (only the rejected ones without ``reportsEveryLine``).
    /// - Throws: only failures of the store as a whole (closed, I/O); the report of earlier batches is lost then,
    ///   but their lines are durable and a re-run reports them as already present.
    /// - Note: Lines may be `String`s or raw bytes (`[UInt8]`): bytes are checked for UTF-8 by the strict reader
    ///   (``JSONEventLine/parse(bytes:using:)``), while a `String` has already replaced invalid bytes.
    public func importLines<Lines: Sequence>(_ lines: Lines) async throws -> ImportReport where Lines.Element: JSONLineText {
        var iterator = lines.makeIterator()
        return try await importChunks { firstNumber in
            ImportBatch.LineChunk.read(firstNumber: firstNumber, limit: Self.chunkLines, capacity: 1 << 20) { bytes in
                guard let text = iterator.next() else { return false }
                text.appendJSONLineBytes(to: &bytes)
                return true
            }
        }
    }

    /// Lines parsed at once on another core while the previous ones are judged.
    static var chunkLines: Int { 1024 }

    /// Imports the lines of chunks, in order: each chunk is parsed (``ImportBatch/parse(_:)``, the work that
    /// depends on the line alone) in a task of its own while the previous chunk is judged, so the two run on two
    /// cores; judging, planning and the store's append stay in the lines' order.
    /// - Parameter nextChunk: the next chunk of lines, numbered from the number given; nil at the end.
    func importChunks(_ nextChunk: (Int) throws -> ImportBatch.LineChunk?) async throws -> ImportReport {
        var report = ImportReport(keepsEveryLine: reportsEveryLine)
        try await importChunks(nextChunk, into: &report)
        return report
    }

    /// Imports the lines of chunks into `report`: when the import throws part-way, `report` still holds every line
    /// whose fate the store told (the batches appended before the failure, and the rounds of the failing batch the
    /// store took), so a caller can say what was committed before the failure.
    func importChunks(_ nextChunk: (Int) throws -> ImportBatch.LineChunk?, into report: inout ImportReport) async throws {
        var tracker = Tracker()
        var pending: [Pending] = []
        pending.reserveCapacity(batchSize)
        // The batch the store is appending while the next one is read and judged.
        var inFlight: (batch: [Pending], task: Task<Sending, any Error>)?

        /// Records the lines of a batch whose append failed part-way: those rejected before it was sent and those the
        /// store answered for; the others (not sent when the store failed) stay out.
        func record(_ batch: [Pending], _ sending: Sending) {
            var outcomes = batch.map { $0.rejection }
            for (i, outcome) in sending.outcomes { outcomes[i] = outcome }
            for i in batch.indices { if let outcome = outcomes[i] { report.record(.init(number: batch[i].number, outcome: outcome)) } }
        }

        /// Waits for the batch in flight, records its lines, and judges again, on the store's state, the lines of
        /// the next batch whose stream had a line refused (they were judged on a state that included it).
        func land() async throws {
            guard let (batch, task) = inFlight else { return }
            inFlight = nil
            let sending: Sending
            do {
                sending = try await task.value
            } catch let partial as PartialSend {
                record(batch, partial.sending)
                throw partial.error
            }
            var outcomes = batch.map { $0.rejection }
            for (i, outcome) in sending.outcomes { outcomes[i] = outcome }
            for i in batch.indices { report.record(.init(number: batch[i].number, outcome: outcomes[i]!)) }
            guard !sending.refused.isEmpty else { return }
            for stream in sending.refused {  // re-read before judging another line
                tracker.slots[stream] = nil
                tracker.absent.remove(stream)
                tracker.unsourced.insert(stream)
            }
            guard checkRules else { return }
            for i in pending.indices {
                guard let line = pending[i].line, line.event.type.category != .audit, sending.refused.contains(line.stream) else { continue }
                pending[i].rejection = nil
                pending[i].slot = -1
                do {
                    pending[i].slot = try await judge(line, tracker: &tracker)
                } catch let e as EventFormatError {
                    pending[i].rejection = .rejected(code: e.code.rawValue, reason: e.description)
                } catch let v as RuleViolation {
                    pending[i].rejection = .rejected(code: v.rule.rawValue, reason: v.description)
                }
            }
        }

        /// Sends the batch read so far; it is in flight when this returns (landed first if `waiting`).
        func send(waiting: Bool) async throws {
            try await land()
            let rounds = ImportBatch.prepare(&pending, checkRules: checkRules, tracker: &tracker)
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            tracker.batchIDs.removeAll(keepingCapacity: true)
            let store = self.store, checkRules = self.checkRules
            inFlight = (batch, Task { try await Self.send(rounds, to: store, checkRules: checkRules) })
            // Past the bound, the states are dropped once nothing is in flight (a stream is read again only when
            // its lines are in the log).
            if waiting || tracker.slots.count > Self.maximumFollowedStreams {
                try await land()
                if tracker.slots.count > Self.maximumFollowedStreams {
                    tracker.reset()
                    // The streams this import appended to are no longer known as such: none is taken from the source.
                    tracker.sourceRetired = true
                }
            }
        }

        /// Judges a parsed chunk's lines in order, sending each full batch.
        func judgeParsed(_ parsed: ImportBatch.ParsedChunk) async throws {
            if checkRules { try await findAbsentStreams(parsed) }
            defer {
                tracker.absent.removeAll(keepingCapacity: true)
                tracker.presumed.removeAll(keepingCapacity: true)
            }
            for i in parsed.lines.indices {
                let number = parsed.lines[i].number
                if let rejection = parsed.lines[i].rejection {
                    pending.append(Pending(number: number, line: nil, proposed: nil, rejection: rejection))
                } else {
                    // Moved out of the chunk, not copied.
                    let line = parsed.lines[i].line.take()!
                    let proposed = parsed.lines[i].proposed.take()
                    do {
                        var slot = -1
                        if checkRules, line.event.type.category != .audit {
                            slot = try await judge(line, tracker: &tracker)
                        }
                        pending.append(Pending(number: number, line: line, proposed: proposed, rejection: nil, slot: slot))
                    } catch let e as EventFormatError {
                        pending.append(Pending(number: number, line: line, proposed: proposed, rejection: .rejected(code: e.code.rawValue, reason: e.description)))
                    } catch let v as RuleViolation {
                        pending.append(Pending(number: number, line: line, proposed: proposed, rejection: .rejected(code: v.rule.rawValue, reason: v.description)))
                    }
                }
                if pending.count >= batchSize { try await send(waiting: false) }
            }
        }

        /// Asks the store, in one call, which of the streams the chunk's lines will be judged on are not followed
        /// and do not exist, so that they are not read one by one (``Tracker/absent``).
        func findAbsentStreams(_ parsed: ImportBatch.ParsedChunk) async throws {
            var asked: [StreamID] = []
            var seen: Set<StreamID> = []
            for p in parsed.lines where p.rejection == nil {
                guard let line = p.line, line.event.type.category != .audit, tracker.slots[line.stream] == nil,
                      seen.insert(line.stream).inserted else { continue }
                asked.append(line.stream)
            }
            let useSource = personStates != nil && !tracker.sourceRetired && tracker.personReads >= personStatesAfter
            if !asked.isEmpty {
                let versions = try await store.streamVersions(asked)
                var known: [(stream: StreamID, version: StreamVersion)] = []
                for (stream, version) in zip(asked, versions) {
                    if let version {
                        if useSource, stream.category == "person", !tracker.unsourced.contains(stream) { known.append((stream, version)) }
                    } else {
                        tracker.absent.insert(stream)
                    }
                }
                if let source = personStates, !known.isEmpty {
                    let states = await source.personStates(known)
                    for ((stream, version), known) in zip(known, states) {
                        guard let known else { continue }
                        var f = Followed()
                        f.person = known.state
                        f.version = version
                        f.fromSource = true
                        f.tasksUnread = known.hasSurveyTasks
                        tracker.presumed[stream] = f
                    }
                }
            }
            if useSource { try await findStoredLines(parsed) }
        }

        /// The state from the source holds no event ids: asks the store, in one call, whether each of the chunk's
        /// lines on a stream taken from the source (or about to be) is already in that stream. A stream about to be
        /// taken with such a line is read instead; a followed one learns the id (``Tracker/knownIDs``), as if its
        /// ids had been read with it.
        func findStoredLines(_ parsed: ImportBatch.ParsedChunk) async throws {
            var ids: [UUID] = []
            var streams: [StreamID] = []
            for p in parsed.lines where p.rejection == nil {
                guard let line = p.line, line.event.type.category != .audit else { continue }
                if let slot = tracker.slots[line.stream] {
                    guard tracker.states[slot].fromSource else { continue }
                } else if tracker.presumed[line.stream] == nil {
                    continue
                }
                ids.append(line.id)
                streams.append(line.stream)
            }
            guard !ids.isEmpty else { return }
            for (k, held) in try await store.holdsEvents(ids, on: streams).enumerated() where held {
                if let slot = tracker.slots[streams[k]] {
                    tracker.knownIDs.insert(BatchKey(id: ids[k], slot: slot))
                } else {
                    tracker.presumed[streams[k]] = nil
                }
            }
        }

        // The chunk being parsed while the one before it is judged.
        var parsing: Task<ImportBatch.ParsedChunk, Never>?
        do {
            var number = 0
            while true {
                let chunk = try nextChunk(number + 1)
                if let chunk { number += chunk.count }
                let started = chunk.map { c in Task { await ChunkParseProbe.parse { ImportBatch.ParsedChunk(ImportBatch.parse(c)) } } }
                let judged = parsing
                parsing = started  // awaited below if judging the one before it fails
                if let judged { try await judgeParsed(await judged.value) }
                guard started != nil else { break }
            }
            if !pending.isEmpty { try await send(waiting: true) }
            try await land()
        } catch {
            // Nothing is left running behind the caller's back: neither the next chunk's parse (a few
            // milliseconds: awaited, not cut short) nor the batch being appended.
            _ = await parsing?.value
            if let (batch, task) = inFlight {
                // The batch appended while the failure came elsewhere (the input, a stream's read): its lines are
                // recorded, as far as the store answered for them.
                switch await task.result {
                case .success(let sending):
                    var outcomes = batch.map { $0.rejection }
                    for (i, outcome) in sending.outcomes { outcomes[i] = outcome }
                    for i in batch.indices { report.record(.init(number: batch[i].number, outcome: outcomes[i]!)) }
                case .failure(let partial as PartialSend): record(batch, partial.sending)
                case .failure: break
                }
            }
            throw error
        }
    }

    /// A batch's append that failed part-way: the outcomes of the rounds the store took before it failed, and the
    /// store's error (what the import throws).
    struct PartialSend: Error {
        var sending: Sending
        var error: any Error
    }

    /// Appends a planned batch round by round. When the store refuses a rule-checked line, the later lines of its
    /// stream are not sent (they were judged on a state that included it).
    /// - Throws: ``PartialSend`` when the store fails: the outcomes of the rounds before, and its error.
    static func send(_ rounds: [[Sent]], to store: Store, checkRules: Bool) async throws -> Sending {
        var sending = Sending()
        for round in rounds {
            var appends: [StreamAppend] = []
            appends.reserveCapacity(round.count)
            var owners: [Int] = []
            owners.reserveCapacity(round.count)
            for sent in round {
                if checkRules, !sending.refused.isEmpty, sending.refused.contains(sent.append.stream) {
                    sending.outcomes.append((sent.index, .rejected(
                        code: ImportReport.earlierLineRejected,
                        reason: "\(ImportReport.earlierLineRejected): not appended because an earlier line of this stream was refused; re-run the import to retry it [stream \(sent.append.stream.masked)]")))
                    continue
                }
                appends.append(sent.append)
                owners.append(sent.index)
            }
            let results: [Result<AppendResult, EventLogError>]
            do {
                results = appends.isEmpty ? [] : try await store.append(appends)
            } catch {
                throw PartialSend(sending: sending, error: error)
            }
            for (k, result) in results.enumerated() {
                switch result {
                case .success(let r):
                    sending.outcomes.append((owners[k], r.wasAlreadyAppended
                        ? .alreadyPresent(position: r.positions.lowerBound) : .accepted(position: r.positions.lowerBound)))
                case .failure(let e):
                    sending.outcomes.append((owners[k], .rejected(code: e.code.rawValue, reason: e.description)))
                    sending.refused.insert(appends[k].stream)
                }
            }
        }
        return sending
    }

    /// Reads a stream's state from the store.
    func load(_ stream: StreamID) async throws -> Followed {
        var f = Followed()
        let events = try await store.readStream(stream)
        guard !events.isEmpty else { return f }
        f.ids = events.map(\.id)
        f.version = events.last?.streamVersion
        let readable: Bool
        if stream.category == "person" {
            let state = try? PersonState.fold(events)
            if let state { f.person = state }
            readable = state != nil
        } else if stream.category == "target" {
            readable = true
        } else {
            let state = try? EmployerState.fold(events)
            if let state { f.employer = state }
            readable = state != nil
        }
        guard readable else {
            throw EventFormatError(
                .unreadableStream, "the stream in the log holds an event this build cannot read, so the rules cannot be checked",
                stream: stream)
        }
        return f
    }

    /// Whether the rules of an event look at a person's survey tasks.
    static func looksAtSurveyTasks(_ type: RegistryEventType) -> Bool {
        switch type {
        case .surveyTaskDispatched, .surveyObservationRecorded, .surveyReviewed: true
        default: false
        }
    }

    /// Checks a line against its stream's followed state, loading it first, and folds it in when allowed.
    /// - Returns: the slot of the stream's state.
    func judge(_ line: JSONEventLine, tracker: inout Tracker) async throws -> Int {
        let slot: Int
        if let known = tracker.slots[line.stream] {
            slot = known
        } else if tracker.absent.remove(line.stream) != nil {
            slot = tracker.follow(line.stream, Followed())  // what reading a stream that does not exist gives
        } else if let presumed = tracker.presumed.removeValue(forKey: line.stream) {
            slot = tracker.follow(line.stream, presumed)  // what reading it gives, as far as the rules look
        } else {
            if line.stream.category == "person" { tracker.personReads += 1 }
            slot = tracker.follow(line.stream, try await load(line.stream))
        }
        // A state from the source has no survey tasks: a survey line of a person who has some reads them first (the
        // lines of this import judged on the state since were not survey lines, so the stream's tasks are the state's).
        if tracker.states[slot].tasksUnread, Self.looksAtSurveyTasks(line.event.type) {
            tracker.states[slot].person.takeSurveyTasks(from: try await load(line.stream).person)
            tracker.states[slot].tasksUnread = false
        }
        // A line already in the log, or earlier in this import, is left to the store's idempotency.
        guard !tracker.knownIDs.contains(BatchKey(id: line.id, slot: slot)), tracker.batchIDs.insert(BatchKey(id: line.id, slot: slot)).inserted else {
            return slot
        }
        do {
            let event = line.event.upcast
            if line.stream.category == "person" {
                try tracker.states[slot].person.check(event, rules: rules)
                tracker.states[slot].person.apply(event, effective: line.effective)
            } else if line.stream.category == "target" {
                try TargetRules.check(event, stream: line.stream)
            } else {
                try tracker.states[slot].employer.check(event)
                tracker.states[slot].employer.apply(event)
            }
        } catch {
            // A refused line is not in the batch: a later line with its id is judged again.
            tracker.batchIDs.remove(BatchKey(id: line.id, slot: slot))
            throw error
        }
        return slot
    }
}

/// A line an importer reads: a `String`, or raw bytes, whose UTF-8 the strict reader then checks.
public protocol JSONLineText {
    /// The line's bytes.
    var jsonLineBytes: [UInt8] { get }
    /// Appends the line's bytes to a buffer (the importer gathers lines in one buffer per chunk).
    func appendJSONLineBytes(to buffer: inout [UInt8])
}

extension JSONLineText {
    /// Appends ``jsonLineBytes``.
    public func appendJSONLineBytes(to buffer: inout [UInt8]) { buffer.append(contentsOf: jsonLineBytes) }
}

extension String: JSONLineText {
    /// The UTF-8 of the string.
    public var jsonLineBytes: [UInt8] { Array(utf8) }
    /// Appends the UTF-8 of the string.
    public func appendJSONLineBytes(to buffer: inout [UInt8]) { buffer.append(contentsOf: utf8) }
}

extension Substring: JSONLineText {
    /// The UTF-8 of the substring.
    public var jsonLineBytes: [UInt8] { Array(utf8) }
}

extension Array: JSONLineText where Element == UInt8 {
    /// The bytes themselves.
    public var jsonLineBytes: [UInt8] { self }
    /// Appends the bytes.
    public func appendJSONLineBytes(to buffer: inout [UInt8]) { buffer.append(contentsOf: self) }
}
