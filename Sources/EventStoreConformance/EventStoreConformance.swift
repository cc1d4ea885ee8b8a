import EventLog
import Foundation
import Testing

/// The backend conformance suite: written once, run by every store (see ``ConformanceCase``).
public struct EventStoreConformance<Store: EventStore>: Sendable {
    let harness: ConformanceHarness<Store>

    /// Creates the suite for one backend.
    public init(_ harness: ConformanceHarness<Store>) { self.harness = harness }

    /// Runs one point of the contract.
    public func run(_ point: ConformanceCase) async throws {
        let store = try await harness.make()
        var open = store
        do {
            switch point {
            case .appendAndReadStream: try await appendAndReadStream(store)
            case .readStreamBackward: try await readStreamBackward(store)
            case .streamVersionsAnswerAsReads: try await streamVersionsAnswerAsReads(store)
            case .holdsEventsAnswersAsReads: try await holdsEventsAnswersAsReads(store)
            case .expectedVersionConflicts: try await expectedVersionConflicts(store)
            case .concurrentAppendersSameExpectedVersion: try await concurrentSameExpectedVersion(store)
            case .concurrentAppendersDistinctStreams: try await concurrentDistinctStreams(store)
            case .idempotentReappend: try await idempotentReappend(store)
            case .duplicateIDWithOtherContent: try await duplicateIDWithOtherContent(store)
            case .eventIDsAreUniqueAcrossStreams: open = try await eventIDsAreUniqueAcrossStreams(store)
            case .textAndTimesEveryStoreKeeps: try await textAndTimesEveryStoreKeeps(store)
            case .batchResultsAreIndependent: try await batchResultsAreIndependent(store)
            case .invalidInputAppendsNothing: try await invalidInputAppendsNothing(store)
            case .readAllInBoundedBatches: try await readAllInBoundedBatches(store)
            case .readCategory: try await readCategory(store)
            case .catchUpSubscriptionWhileWritersRun: try await catchUpSubscription(store)
            case .categorySubscriptionFollowsLive: try await categorySubscription(store)
            case .waitForAppendIsCancellable: try await waitIsCancellable(store)
            case .hashChainVerifies: try await hashChainVerifies(store)
            case .closedStoreRefusesAppends: try await closedStoreRefusesAppends(store); return
            case .reopenReadsEverythingBack: open = try await reopenReadsEverythingBack(store)
            }
        } catch {
            try? await open.close()
            throw error
        }
        try await open.close()
    }

    // MARK: - Helpers

    static func event(_ type: String = "Happened", _ text: String = "", at micros: Int64 = 1_700_000_000_000_000, id: UUID = UUID()) -> ProposedEvent {
        ProposedEvent(
            id: id, type: type, schemaVersion: 1, effectiveTime: Timestamp(microsecondsSinceEpoch: micros),
            payload: Array(text.utf8),
            metadata: EventMetadata(correlationID: UUID(), causationID: nil, actor: "test", headers: ["k": text]))
    }

    static func stream(_ s: String) -> StreamID { try! StreamID(s) }

    func expectError<T>(_ code: EventLogError.Code, _ body: () async throws -> T, sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            _ = try await body()
            Issue.record("expected error \(code), but the call succeeded", sourceLocation: sourceLocation)
        } catch let error as EventLogError {
            #expect(error.code == code, "expected \(code), got \(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected EventLogError \(code), got \(error)", sourceLocation: sourceLocation)
        }
    }

    func readAll(_ store: Store, from: LogPosition = 1, filter: LogFilter = .all, batchSize: Int = 1000) async throws -> [RecordedEvent] {
        var all: [RecordedEvent] = []
        for try await batch in store.readAll(from: from, filter: filter, batchSize: batchSize) {
            #expect(batch.count <= batchSize)
            all += batch.events
        }
        return all
    }

    // MARK: - Points

    func appendAndReadStream(_ store: Store) async throws {
        let s = Self.stream("person-120101198503170024")
        let before = Timestamp.now
        let events = (0..<3).map { Self.event("Type\($0)", "payload \($0)", at: 1_600_000_000_000_000 + Int64($0)) }
        let result = try await store.append(events, to: s, expecting: .noStream)
        #expect(result.streamVersion == 2)
        #expect(result.positions == 1...3)
        #expect(!result.wasAlreadyAppended)
        #expect(try await store.headPosition() == 3)
        #expect(try await store.streamVersion(of: s) == 2)
        #expect(try await store.streamVersion(of: Self.stream("person-none")) == nil)
        let read = try await store.readStream(s)
        #expect(read.count == 3)
        for (i, r) in read.enumerated() {
            #expect(r.stream == s)
            #expect(r.streamVersion == StreamVersion(i))
            #expect(r.position == LogPosition(i + 1))
            #expect(r.hasSameContent(as: events[i]))
            #expect(r.recordedTime >= Timestamp(microsecondsSinceEpoch: before.microsecondsSinceEpoch - 1_000_000))
            #expect(r.recordedTime <= Timestamp(microsecondsSinceEpoch: Timestamp.now.microsecondsSinceEpoch + 1_000_000))
        }
        #expect(s.category == "person")
        let page = try await store.readStream(s, from: 1, direction: .forward, maxCount: 1)
        #expect(page.map(\.streamVersion) == [1])
        #expect(try await store.readStream(s, from: 3, direction: .forward, maxCount: 10).isEmpty)
        #expect(try await store.readStream(Self.stream("person-missing")).isEmpty)
    }

    func readStreamBackward(_ store: Store) async throws {
        let s = Self.stream("task-1")
        for i in 0..<5 { try await store.append([Self.event("T", "\(i)")], to: s) }
        try await store.append([Self.event("Other")], to: Self.stream("task-2"))
        let newest = try await store.readStream(s, from: .max, direction: .backward, maxCount: 2)
        #expect(newest.map(\.streamVersion) == [4, 3])
        let fromTwo = try await store.readStream(s, from: 2, direction: .backward, maxCount: 10)
        #expect(fromTwo.map(\.streamVersion) == [2, 1, 0])
    }

    /// `streamVersions(_:)` gives, for existing, missing, repeated and just-appended streams, the version of the
    /// last event `readStream` returns (nil when it returns none).
    func streamVersionsAnswerAsReads(_ store: Store) async throws {
        #expect(try await store.streamVersions([]).isEmpty)
        let a = Self.stream("person-110101199001010011"), b = Self.stream("person-110101199001010022")
        let c = Self.stream("employer-91110000100000000X"), missing = Self.stream("person-110101199001010033")
        try await store.append([Self.event(), Self.event()], to: a, expecting: .noStream)
        try await store.append([Self.event()], to: b, expecting: .noStream)
        let asked = [missing, a, b, c, a, missing]
        func fromReads() async throws -> [StreamVersion?] {
            var versions: [StreamVersion?] = []
            for s in asked { versions.append(try await store.readStream(s).last?.streamVersion) }
            return versions
        }
        #expect(try await store.streamVersions(asked) == [nil, 1, 0, nil, 1, nil])
        #expect(try await store.streamVersions(asked) == fromReads())
        // Appended in one call to several streams (one group commit), including the missing ones.
        let results = try await store.append([
            StreamAppend(stream: c, expected: .noStream, events: [Self.event(), Self.event(), Self.event()]),
            StreamAppend(stream: a, expected: .exactly(1), events: [Self.event()]),
            StreamAppend(stream: b, expected: .exactly(5), events: [Self.event()]),  // refused: nothing appended
        ])
        #expect(results.map { (try? $0.get()) != nil } == [true, true, false])
        #expect(try await store.streamVersions(asked) == [nil, 2, 0, 2, 2, nil])
        #expect(try await store.streamVersions(asked) == fromReads())
        #expect(try await store.streamVersions([missing]) == [nil])
    }

    /// `holdsEvents(_:on:)` says, for each id and stream, whether `readStream` of that stream returns an event with
    /// that id: ids in their own stream, in another stream, never appended, appended in the same group commit.
    func holdsEventsAnswersAsReads(_ store: Store) async throws {
        #expect(try await store.holdsEvents([], on: []).isEmpty)
        let a = Self.stream("person-110101199001010011"), b = Self.stream("person-110101199001010022")
        let missing = Self.stream("person-110101199001010033")
        let a1 = UUID(), a2 = UUID(), b1 = UUID(), never = UUID()
        try await store.append([Self.event(id: a1), Self.event(id: a2)], to: a, expecting: .noStream)
        try await store.append([Self.event(id: b1)], to: b, expecting: .noStream)
        let ids = [a1, a2, b1, a1, never, b1, never]
        let streams = [a, a, b, b, a, missing, missing]
        func fromReads() async throws -> [Bool] {
            var held: [Bool] = []
            for (id, s) in zip(ids, streams) { held.append(try await store.readStream(s).contains { $0.id == id }) }
            return held
        }
        #expect(try await store.holdsEvents(ids, on: streams) == [true, true, true, false, false, false, false])
        #expect(try await store.holdsEvents(ids, on: streams) == fromReads())
        // Appended in one call to two streams, one of them new; a refused request appends nothing.
        let c1 = UUID(), refused = UUID()
        let results = try await store.append([
            StreamAppend(stream: missing, expected: .noStream, events: [Self.event(id: never), Self.event(id: c1)]),
            StreamAppend(stream: b, expected: .exactly(5), events: [Self.event(id: refused)]),
        ])
        #expect(results.map { (try? $0.get()) != nil } == [true, false])
        #expect(try await store.holdsEvents([never, c1, refused, never], on: [missing, missing, b, a]) == [true, true, false, false])
    }

    func expectedVersionConflicts(_ store: Store) async throws {
        let s = Self.stream("account-7")
        try await store.append([Self.event()], to: s, expecting: .noStream)
        await expectError(.wrongExpectedVersion) { try await store.append([Self.event()], to: s, expecting: .noStream) }
        await expectError(.wrongExpectedVersion) { try await store.append([Self.event()], to: s, expecting: .exactly(5)) }
        await expectError(.wrongExpectedVersion) {
            try await store.append([Self.event()], to: Self.stream("account-8"), expecting: .streamExists)
        }
        await expectError(.wrongExpectedVersion) {
            try await store.append([Self.event()], to: Self.stream("account-9"), expecting: .exactly(0))
        }
        #expect(try await store.headPosition() == 1)
        #expect(try await store.streamVersion(of: Self.stream("account-8")) == nil)
        try await store.append([Self.event(), Self.event()], to: s, expecting: .exactly(0))
        try await store.append([Self.event()], to: s, expecting: .streamExists)
        try await store.append([Self.event()], to: s, expecting: .any)
        #expect(try await store.streamVersion(of: s) == 4)
        #expect(try await store.headPosition() == 5)
    }

    func concurrentSameExpectedVersion(_ store: Store) async throws {
        let s = Self.stream("contested-1")
        let rounds = 12
        for round in 0..<rounds {
            let expected: ExpectedVersion = round == 0 ? .noStream : .exactly(StreamVersion(round - 1))
            let outcomes = await withTaskGroup(of: Result<AppendResult, any Error>.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        do { return .success(try await store.append([Self.event("W", "\(writer)")], to: s, expecting: expected)) }
                        catch { return .failure(error) }
                    }
                }
                var all: [Result<AppendResult, any Error>] = []
                for await o in group { all.append(o) }
                return all
            }
            let wins = outcomes.filter { if case .success = $0 { true } else { false } }
            #expect(wins.count == 1, "round \(round): \(wins.count) appenders won")
            for case .failure(let error) in outcomes {
                #expect((error as? EventLogError)?.code == .wrongExpectedVersion, "\(error)")
            }
        }
        let events = try await store.readStream(s)
        #expect(events.map(\.streamVersion) == (0..<StreamVersion(rounds)).map { $0 })
        #expect(try await store.headPosition() == LogPosition(rounds))
    }

    func concurrentDistinctStreams(_ store: Store) async throws {
        let writers = 8, perWriter = 60
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    for i in 0..<perWriter {
                        try await store.append([Self.event("E", "\(w)-\(i)")], to: Self.stream("writer-\(w)"), expecting: i == 0 ? .noStream : .exactly(StreamVersion(i - 1)))
                    }
                }
            }
            try await group.waitForAll()
        }
        let all = try await readAll(store)
        #expect(all.count == writers * perWriter)
        #expect(all.map(\.position) == (1...LogPosition(writers * perWriter)).map { $0 })
        for w in 0..<writers {
            let mine = all.filter { $0.stream.rawValue == "writer-\(w)" }
            #expect(mine.map(\.streamVersion) == (0..<StreamVersion(perWriter)).map { $0 })
            #expect(mine.map { String(decoding: $0.payload, as: UTF8.self) } == (0..<perWriter).map { "\(w)-\($0)" })
        }
    }

    func idempotentReappend(_ store: Store) async throws {
        let s = Self.stream("person-1")
        let events = [Self.event("A", "a"), Self.event("B", "b")]
        let first = try await store.append(events, to: s, expecting: .noStream)
        try await store.append([Self.event("C")], to: Self.stream("person-2"))
        let again = try await store.append(events, to: s, expecting: .noStream)
        #expect(again.wasAlreadyAppended)
        #expect(again.positions == first.positions)
        #expect(again.streamVersion == first.streamVersion)
        let anyAgain = try await store.append(events, to: s, expecting: .any)
        #expect(anyAgain.wasAlreadyAppended)
        #expect(try await store.headPosition() == 3)
        #expect(try await store.readStream(s).count == 2)
        // The same batch through the many-stream call, twice in one call.
        let twice = try await store.append([
            StreamAppend(stream: Self.stream("person-3"), expected: .noStream, events: [events[0].withNewID()]),
        ])
        let id = try twice[0].get()
        #expect(!id.wasAlreadyAppended)
        await expectError(.duplicateEventID) {
            try await store.append([events[0], Self.event("New")], to: s, expecting: .any)
        }
        #expect(try await store.headPosition() == 4)
    }

    func duplicateIDWithOtherContent(_ store: Store) async throws {
        let s = Self.stream("person-5")
        let original = Self.event("A", "original")
        try await store.append([original], to: s)
        var altered = original
        altered.payload = Array("altered".utf8)
        await expectError(.duplicateEventID) { try await store.append([altered], to: s) }
        var otherType = original
        otherType.type = "B"
        await expectError(.duplicateEventID) { try await store.append([otherType], to: s) }
        #expect(try await store.headPosition() == 1)
        #expect(try await store.readStream(s).first?.payload == Array("original".utf8))
    }

    /// An event id names one fact in the whole log: reusing it in another stream is refused, whatever the
    /// content, in every store, for ids in any part of the log (and after reopening, for stores that persist).
    func eventIDsAreUniqueAcrossStreams(_ store: Store) async throws -> Store {
        // Enough records that a file store with small segments seals some: its sealed ids are found on disk.
        let early = Self.event("Early", "first")
        try await store.append([early], to: Self.stream("person-a"), expecting: .noStream)
        var filler: [StreamAppend] = []
        for i in 0..<20 {
            filler.append(StreamAppend(stream: Self.stream("filler-\(i)"), expected: .noStream,
                                       events: (0..<50).map { Self.event("Filler", "filler \(i)-\($0) " + String(repeating: "x", count: 100)) }))
        }
        for r in try await store.append(filler) { _ = try r.get() }
        let late = Self.event("Late", "last")
        try await store.append([late], to: Self.stream("person-a"), expecting: .exactly(0))
        let head: LogPosition = 1002
        #expect(try await store.headPosition() == head)

        func expectRefusedElsewhere(_ store: Store, round: String) async throws {
            for reused in [early, late] {
                // The same event (same content) in another stream.
                await expectError(.duplicateEventID) { try await store.append([reused], to: Self.stream("person-b")) }
                // Other content under the same id, after a new event, in a stream that does not exist yet.
                var other = Self.event("Other", "other content")
                other.id = reused.id
                await expectError(.duplicateEventID) {
                    try await store.append([Self.event("New"), other], to: Self.stream("person-c"), expecting: .noStream)
                }
                // In a large append (PostgreSQL skips its id look-up optimistically past 256 events).
                var bulk = (0..<300).map { Self.event("Bulk", "\($0)") }
                bulk[150].id = reused.id
                await expectError(.duplicateEventID) { try await store.append(bulk, to: Self.stream("person-d")) }
                // Into an existing stream other than its own.
                await expectError(.duplicateEventID) { try await store.append([reused], to: Self.stream("filler-3")) }
            }
            // Within one call: the second request reuses the first one's new id in another stream.
            let fresh = Self.event("Fresh")
            let results = try await store.append([
                StreamAppend(stream: Self.stream("person-e\(round)"), expected: .noStream, events: [fresh]),
                StreamAppend(stream: Self.stream("person-f\(round)"), expected: .noStream, events: [fresh]),
            ])
            let written = try results[0].get()
            if case .failure(let error) = results[1] { #expect(error.code == .duplicateEventID) } else { Issue.record("expected duplicate-event-id") }
            // The same request again is still an idempotent re-append, in its own stream.
            let again = try await store.append([early], to: Self.stream("person-a"), expecting: .noStream)
            #expect(again.wasAlreadyAppended)
            #expect(again.positions == 1...1)
            let againLate = try await store.append([late], to: Self.stream("person-a"))
            #expect(againLate.wasAlreadyAppended)
            #expect(againLate.positions == head...head)
            let againFresh = try await store.append([fresh], to: Self.stream("person-e\(round)"))
            #expect(againFresh.positions == written.positions)
            for name in ["person-b", "person-c", "person-d", "person-f\(round)"] {
                #expect(try await store.streamVersion(of: Self.stream(name)) == nil, "\(name)")
            }
            #expect(try await store.streamVersion(of: Self.stream("filler-3")) == 49)
        }

        try await expectRefusedElsewhere(store, round: "")
        #expect(try await store.headPosition() == head + 1)
        var current = store
        if let reopen = harness.reopen {
            current = try await reopen(store)
            // Rebuilt from what is stored: the same answers.
            let onceMore = Self.event("Once more")
            try await expectRefusedElsewhere(current, round: "reopened")
            _ = try await current.append([onceMore], to: Self.stream("person-g"))
            await expectError(.duplicateEventID) { try await current.append([onceMore], to: Self.stream("person-h")) }
            #expect(try await current.headPosition() == head + 3)
        }
        let all = try await readAll(current)
        #expect(Set(all.map(\.id)).count == all.count)
        let report = await LogVerifier.verify(current)
        #expect(report.failure == nil, "\(report)")
        return current
    }

    /// What every store keeps, and refuses, alike: U+0000 (NUL) is refused in every text field (PostgreSQL
    /// text cannot hold it), effective times outside the years 1 to 9999 are refused, and every other Unicode
    /// text (Chinese, emoji, tabs and other control characters in the actor and headers) is kept byte for byte.
    func textAndTimesEveryStoreKeeps(_ store: Store) async throws {
        let s = Self.stream("text-1")
        var refused: [ProposedEvent] = []
        var actor = Self.event("Actor")
        actor.metadata.actor = "operator:\u{0}1"
        refused.append(actor)
        var key = Self.event("Key")
        key.metadata.headers = ["feed\u{0}": "1"]
        refused.append(key)
        var value = Self.event("Value")
        value.metadata.headers = ["feed": "\u{0}"]
        refused.append(value)
        refused.append(Self.event("Type\u{0}"))
        refused.append(Self.event("Early", at: RecordFormat.effectiveTimeRange.lowerBound - 1))
        refused.append(Self.event("Late", at: RecordFormat.effectiveTimeRange.upperBound + 1))
        refused.append(Self.event("Min", at: .min))
        for bad in refused {
            await expectError(.invalidEvent) { try await store.append([Self.event("Fine"), bad], to: s) }
            let results = try await store.append([StreamAppend(stream: s, expected: .any, events: [bad])])
            if case .failure(let error) = results[0] { #expect(error.code == .invalidEvent) } else { Issue.record("\(bad.type) was accepted") }
        }
        #expect(throws: EventLogError.self) { try StreamID("text-\u{0}") }
        await expectError(.invalidStreamID) { try await store.append([Self.event()], to: StreamID(uncheckedRawValue: "text-\u{0}")) }
        await expectError(.invalidStreamID) { try await store.append([Self.event()], to: StreamID(uncheckedRawValue: "")) }
        #expect(try await store.headPosition() == 0)

        var first = Self.event("最早", "年份一", at: RecordFormat.effectiveTimeRange.lowerBound)
        first.metadata.actor = "操作员:张三\t\u{1}"
        first.metadata.headers = ["地址": "天津市和平区南京路 1 号 🏠", "tab\tkey": "line\nbreak\u{7F}\u{1F}", "quote\"\\": "\\\"/"]
        first.metadata.causationID = UUID()
        var last = Self.event("Last", "", at: RecordFormat.effectiveTimeRange.upperBound)
        last.metadata = EventMetadata(actor: String(repeating: "张", count: 85), headers: ["e": ""])
        let streamText = Self.stream("text-天津市和平区·😀")
        try await store.append([first, last], to: streamText, expecting: .noStream)
        let back = try await store.readStream(streamText)
        #expect(back.count == 2)
        for (r, e) in zip(back, [first, last]) {
            #expect(r.hasSameContent(as: e))
            #expect(r.metadata == e.metadata)
            #expect(r.effectiveTime == e.effectiveTime)
            #expect(r.stream.rawValue.utf8.elementsEqual(streamText.rawValue.utf8))
        }
        let report = await LogVerifier.verify(store)
        #expect(report.failure == nil, "\(report)")
    }

    func batchResultsAreIndependent(_ store: Store) async throws {
        let a = Self.stream("batch-a"), b = Self.stream("batch-b"), c = Self.stream("batch-c")
        try await store.append([Self.event()], to: b)
        let results = try await store.append([
            StreamAppend(stream: a, expected: .noStream, events: [Self.event("A1"), Self.event("A2")]),
            StreamAppend(stream: b, expected: .noStream, events: [Self.event("B-wrong")]),
            StreamAppend(stream: c, expected: .noStream, events: [Self.event("C1")]),
            StreamAppend(stream: a, expected: .exactly(1), events: [Self.event("A3")]),
        ])
        #expect(results.count == 4)
        #expect((try? results[0].get())?.positions == 2...3)
        if case .failure(let e) = results[1] { #expect(e.code == .wrongExpectedVersion) } else { Issue.record("expected a conflict") }
        #expect((try? results[2].get())?.positions == 4...4)
        #expect((try? results[3].get())?.streamVersion == 2)
        #expect(try await store.readStream(b).count == 1)
        #expect(try await store.headPosition() == 5)
    }

    func invalidInputAppendsNothing(_ store: Store) async throws {
        let s = Self.stream("bad-1")
        await expectError(.invalidEvent) { try await store.append([], to: s) }
        await expectError(.invalidEvent) { try await store.append([Self.event("")], to: s) }
        let e = Self.event("Twice")
        await expectError(.invalidEvent) { try await store.append([e, e], to: s) }
        var zero = Self.event("Zero")
        zero.schemaVersion = 0
        await expectError(.invalidEvent) { try await store.append([Self.event("Fine"), zero], to: s) }
        var big = Self.event("Big")
        big.payload = [UInt8](repeating: 1, count: ProposedEvent.maximumPayloadSize + 1)
        await expectError(.invalidEvent) { try await store.append([big], to: s) }
        #expect(try await store.headPosition() == 0)
        #expect(try await store.streamVersion(of: s) == nil)
        #expect(throws: EventLogError.self) { try StreamID("") }
        #expect(throws: EventLogError.self) { try StreamID("bad\nid") }
    }

    func readAllInBoundedBatches(_ store: Store) async throws {
        var requests: [StreamAppend] = []
        for i in 0..<1000 {
            requests.append(StreamAppend(stream: Self.stream("bulk-\(i % 10)"), expected: .any, events: [Self.event("E", "\(i)")]))
        }
        for r in try await store.append(requests) { _ = try r.get() }
        var batches = 0
        var positions: [LogPosition] = []
        for try await batch in store.readAll(batchSize: 64) {
            batches += 1
            #expect(batch.count <= 64)
            batch.withRecords { views in for v in views { positions.append(v.position) } }
        }
        #expect(positions == (1...1000).map { $0 })
        #expect(batches >= 1000 / 64)
        let tail = try await readAll(store, from: 990)
        #expect(tail.map(\.position) == (990...1000).map { $0 })
        #expect(try await readAll(store, from: 1001).isEmpty)
        let page = try await store.read(from: 500, filter: .all, maxCount: 10)
        #expect(page.count == 10)
        #expect(page.nextPosition == 510)
        #expect(page.events.map { String(decoding: $0.payload, as: UTF8.self) } == (499..<509).map { "\($0)" })
    }

    func readCategory(_ store: Store) async throws {
        for i in 0..<300 {
            let category = ["person", "employer", "personnel"][i % 3]
            try await store.append([Self.event("E", "\(i)")], to: Self.stream("\(category)-\(i)"))
        }
        try await store.append([Self.event()], to: Self.stream("person"))
        let persons = try await readAll(store, filter: .category("person"), batchSize: 7)
        #expect(persons.count == 101)
        #expect(persons.allSatisfy { $0.stream.category == "person" })
        #expect(persons.map(\.position) == persons.map(\.position).sorted())
        let employers = try await readAll(store, filter: .category("employer"))
        #expect(employers.count == 100)
        let none = try await readAll(store, filter: .category("nothing"))
        #expect(none.isEmpty)
    }

    func catchUpSubscription(_ store: Store) async throws {
        let writers = 4, perWriter = 150
        // Every third append carries two events.
        let expectedTotal = 50 + writers * (perWriter + (perWriter + 2) / 3)
        // Some history before the subscriber starts.
        for i in 0..<50 { try await store.append([Self.event("Early", "\(i)")], to: Self.stream("early-\(i % 5)")) }
        let subscriber = Task { () throws -> [LogPosition] in
            var seen: [LogPosition] = []
            for try await batch in store.subscribe(from: 1, batchSize: 37) {
                batch.withRecords { views in for v in views { seen.append(v.position) } }
                if seen.count >= expectedTotal { break }
            }
            return seen
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    for i in 0..<perWriter {
                        if i % 3 == 0 {
                            try await store.append([Self.event("Live", "\(w)-\(i)"), Self.event("Live", "\(w)-\(i)b")], to: Self.stream("live-\(w)"))
                        } else {
                            try await store.append([Self.event("Live", "\(w)-\(i)")], to: Self.stream("live-\(w)"))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.headPosition() == LogPosition(expectedTotal))
        let seen = try await withTimeout(seconds: 60) { try await subscriber.value }
        #expect(seen == (1...LogPosition(expectedTotal)).map { $0 }, "every event exactly once, in order")
    }

    func categorySubscription(_ store: Store) async throws {
        try await store.append([Self.event()], to: Self.stream("noise-1"))
        try await store.append([Self.event("Want", "0")], to: Self.stream("want-1"))
        let subscriber = Task { () throws -> [String] in
            var seen: [String] = []
            for try await batch in store.subscribe(from: 1, filter: .category("want"), batchSize: 5) {
                seen += batch.events.map { String(decoding: $0.payload, as: UTF8.self) }
                if seen.count >= 20 { break }
            }
            return seen
        }
        for i in 1..<20 {
            try await store.append([Self.event("Noise")], to: Self.stream("noise-\(i)"))
            try await store.append([Self.event("Want", "\(i)")], to: Self.stream("want-\(i % 3)"))
        }
        let seen = try await withTimeout(seconds: 30) { try await subscriber.value }
        #expect(seen == (0..<20).map { "\($0)" })
    }

    func waitIsCancellable(_ store: Store) async throws {
        let waiter = Task { try await store.waitForAppend(after: 0) }
        try await Task.sleep(nanoseconds: 50_000_000)
        waiter.cancel()
        let outcome = await waiter.result
        if case .success = outcome { Issue.record("a cancelled wait returned normally on an empty log") }
        // And a wait returns once something is appended.
        let woken = Task { try await store.waitForAppend(after: 0) }
        try await Task.sleep(nanoseconds: 20_000_000)
        try await store.append([Self.event()], to: Self.stream("wake-1"))
        try await withTimeout(seconds: 10) { try await woken.value }
    }

    func hashChainVerifies(_ store: Store) async throws {
        for i in 0..<200 { try await store.append([Self.event("E", "\(i)")], to: Self.stream("chain-\(i % 7)")) }
        let report = await LogVerifier.verify(store)
        #expect(report.failure == nil, "\(report)")
        #expect(report.intactUpTo == 200)
        // The chain is what each record says it is.
        var previous = RecordHash.genesis
        for try await batch in store.readAll() {
            batch.withRecords { views in
                for v in views {
                    #expect(RecordHash.chaining(previous, body: v.body) == v.hash)
                    previous = v.hash
                }
            }
        }
        #expect(previous == report.headHash)
        let partial = await LogVerifier.verify(store, upTo: 50)
        #expect(partial.intactUpTo == 50)
    }

    func closedStoreRefusesAppends(_ store: Store) async throws {
        try await store.append([Self.event()], to: Self.stream("closing-1"))
        try await store.close()
        await expectError(.storeClosed) { try await store.append([Self.event()], to: Self.stream("closing-1")) }
    }

    func reopenReadsEverythingBack(_ store: Store) async throws -> Store {
        guard let reopen = harness.reopen else {
            Issue.record("this backend has no reopen: do not run the persistence point for it")
            return store
        }
        var written: [ProposedEvent] = []
        for i in 0..<300 {
            let e = Self.event("E\(i % 4)", "\(i)", at: Int64(i))
            written.append(e)
            try await store.append([e], to: Self.stream("keep-\(i % 9)"))
        }
        let before = try await readAll(store)
        let reopened = try await reopen(store)
        let after = try await readAll(reopened)
        #expect(after == before)
        #expect(after.count == 300)
        for (r, e) in zip(after, written) { #expect(r.hasSameContent(as: e)) }
        #expect(try await reopened.streamVersion(of: Self.stream("keep-0")) == 33)
        // Appends go on after reopening: versions, positions, idempotency and the chain continue.
        let more = try await reopened.append([Self.event("After")], to: Self.stream("keep-0"), expecting: .exactly(33))
        #expect(more.positions == 301...301)
        let again = try await reopened.append([written[0]], to: Self.stream("keep-0"))
        #expect(again.wasAlreadyAppended)
        await expectError(.wrongExpectedVersion) {
            try await reopened.append([Self.event()], to: Self.stream("keep-1"), expecting: .noStream)
        }
        let report = await LogVerifier.verify(reopened)
        #expect(report.failure == nil, "\(report)")
        #expect(report.intactUpTo == 301)
        return reopened
    }
}

extension ProposedEvent {
    func withNewID() -> ProposedEvent { var e = self; e.id = UUID(); return e }
}

struct TimedOut: Error, CustomStringConvertible {
    let seconds: Double
    var description: String { "timed out after \(seconds) s" }
}

/// Runs `body`, failing if it takes longer than `seconds`.
func withTimeout<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            throw TimedOut(seconds: seconds)
        }
        let first = try await group.next()!
        group.cancelAll()
        return first
    }
}
