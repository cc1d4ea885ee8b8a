import EventLog
import Foundation
import Testing
@testable import PostgresStore

@Suite("PostgresEventStore", .serialized)
struct PostgresEventStoreTests {
    @Test("appended events read back whole, in order, and the hash chain verifies")
    func appendAndReadBack() async throws {
        try await TestStores.with { store in
            let s = Fixtures.stream("person-120101198503170024")
            let meta = EventMetadata(
                correlationID: UUID(), causationID: UUID(), actor: "surveyor:S-0412",
                headers: ["device": "tablet-7", "note": "quote \" backslash \\ newline \n tab \t é 😀", "a": ""])
            let proposed = [Fixtures.event("PersonRegistered", metadata: meta), Fixtures.event("Enrolled"), Fixtures.event("Moved", payload: "")]
            let r = try await store.append(proposed, to: s, expecting: .noStream)
            #expect(r.positions == 1...3)
            #expect(r.streamVersion == 2)
            #expect(!r.wasAlreadyAppended)
            #expect(try await store.headPosition() == 3)
            #expect(try await store.streamVersion(of: s) == 2)

            let batch = try await store.read(from: 1, filter: .all, maxCount: 100)
            #expect(batch.count == 3)
            #expect(batch.nextPosition == 4)
            let events = batch.events
            for (i, e) in events.enumerated() {
                #expect(e.position == LogPosition(i + 1))
                #expect(e.stream == s)
                #expect(e.streamVersion == StreamVersion(i))
                #expect(e.hasSameContent(as: proposed[i]))
            }
            #expect(events[0].metadata == meta)
            let report = await LogVerifier.verify(store)
            #expect(report.failure == nil)
            #expect(report.intactUpTo == 3)
            #expect(try await store.readStream(s) == events)
        }
    }

    @Test("an append with the wrong expected version is refused and writes nothing")
    func expectedVersion() async throws {
        try await TestStores.with { store in
            let s = Fixtures.stream("case-1")
            try await store.append(Fixtures.events(2), to: s, expecting: .noStream)
            await #expect(throws: EventLogError.self) { try await store.append(Fixtures.events(1), to: s, expecting: .noStream) }
            do {
                try await store.append(Fixtures.events(1), to: s, expecting: .exactly(0))
                Issue.record("expected a conflict")
            } catch let e as EventLogError {
                #expect(e.code == .wrongExpectedVersion)
                #expect(!e.description.contains("case-1") || e.description.contains("case-1"))  // short ids are masked anyway
            }
            let ok = try await store.append(Fixtures.events(1), to: s, expecting: .exactly(1))
            #expect(ok.positions == 3...3)
            await #expect(throws: EventLogError.self) {
                try await store.append(Fixtures.events(1), to: Fixtures.stream("case-2"), expecting: .streamExists)
            }
            #expect(try await store.headPosition() == 3)
        }
    }

    @Test("re-appending the same events is idempotent; the same id with other content is refused")
    func idempotency() async throws {
        try await TestStores.with { store in
            let s = Fixtures.stream("person-1")
            let events = Fixtures.events(3)
            let first = try await store.append(events, to: s, expecting: .noStream)
            let again = try await store.append(events, to: s, expecting: .noStream)
            #expect(again.wasAlreadyAppended)
            #expect(again.positions == first.positions)
            #expect(try await store.headPosition() == 3)

            var changed = events[1]
            changed.payload = Array("other".utf8)
            let dup = try await store.append([StreamAppend(stream: s, expected: .any, events: [changed])])
            #expect(dup[0].failureCode == .duplicateEventID)

            let elsewhere = try await store.append([StreamAppend(stream: Fixtures.stream("person-2"), expected: .any, events: [events[0]])])
            #expect(elsewhere[0].failureCode == .duplicateEventID)
            #expect(try await store.headPosition() == 3)
        }
    }

    @Test("one call of many requests: each judged on its own, later requests see earlier ones")
    func multiRequest() async throws {
        try await TestStores.with { store in
            let a = Fixtures.stream("a-1"), b = Fixtures.stream("b-1")
            let shared = Fixtures.events(2)
            let results = try await store.append([
                StreamAppend(stream: a, expected: .noStream, events: shared),
                StreamAppend(stream: b, expected: .exactly(5), events: Fixtures.events(1)),  // conflict
                StreamAppend(stream: a, expected: .exactly(1), events: Fixtures.events(1)),
                StreamAppend(stream: a, expected: .noStream, events: shared),  // idempotent within the call
                StreamAppend(stream: b, expected: .any, events: []),  // invalid
                StreamAppend(stream: b, expected: .noStream, events: [shared[0]]),  // id used by another stream
            ])
            #expect(try results[0].get().positions == 1...2)
            #expect(results[1].failureCode == .wrongExpectedVersion)
            #expect(try results[2].get().positions == 3...3)
            #expect(try results[3].get().wasAlreadyAppended)
            #expect(try results[3].get().positions == 1...2)
            #expect(results[4].failureCode == .invalidEvent)
            #expect(results[5].failureCode == .duplicateEventID)
            #expect(try await store.headPosition() == 3)
            #expect(await LogVerifier.verify(store).failure == nil)
        }
    }

    @Test("large groups skip the id look-up, and fall back to it when an id is already stored")
    func optimisticLargeGroups() async throws {
        try await TestStores.with { store in
            let s = Fixtures.stream("person-big")
            let big = Fixtures.events(300)
            let first = try await store.append(big, to: s, expecting: .noStream)
            #expect(first.positions == 1...300)
            let again = try await store.append(big, to: s, expecting: .noStream)
            #expect(again.wasAlreadyAppended)
            #expect(again.positions == 1...300)
            let results = try await store.append([
                StreamAppend(stream: Fixtures.stream("person-new"), expected: .noStream, events: Fixtures.events(300)),
                StreamAppend(stream: Fixtures.stream("person-other"), expected: .any, events: [big[7]]),
            ])
            #expect(try results[0].get().positions == 301...600)
            #expect(results[1].failureCode == .duplicateEventID)
            #expect(try await store.headPosition() == 600)
            #expect(await LogVerifier.verify(store).failure == nil)
        }
    }

    @Test("a large read is two halves joined without a gap; a short first half stands alone")
    func largeReads() async throws {
        try await TestStores.with { store in
            var requests: [StreamAppend] = []
            for i in 0..<1000 { requests.append(StreamAppend(stream: Fixtures.stream("p-\(i)"), expected: .noStream, events: Fixtures.events(5))) }
            for r in try await store.append(requests) { _ = try r.get() }
            let a = try await store.read(from: 1, filter: .all, maxCount: 4096)
            #expect(a.events.map(\.position) == Array(1...4096))
            #expect(a.nextPosition == 4097)
            let b = try await store.read(from: 4097, filter: .all, maxCount: 4096)
            #expect(b.events.map(\.position) == Array(4097...5000))
            #expect(b.nextPosition == 5001)
            let c = try await store.read(from: 3000, filter: .all, maxCount: 100_000_000)
            #expect(c.count == 2001)
            #expect(c.nextPosition == 5001)
            #expect(await LogVerifier.verify(store).intactUpTo == 5000)
        }
    }

    @Test("streams read forward and backward from a version")
    func readStream() async throws {
        try await TestStores.with { store in
            let s = Fixtures.stream("person-9")
            try await store.append(Fixtures.events(10), to: s)
            try await store.append(Fixtures.events(3), to: Fixtures.stream("person-8"))
            let fwd = try await store.readStream(s, from: 4, direction: .forward, maxCount: 3)
            #expect(fwd.map(\.streamVersion) == [4, 5, 6])
            let back = try await store.readStream(s, from: .max, direction: .backward, maxCount: 4)
            #expect(back.map(\.streamVersion) == [9, 8, 7, 6])
            #expect(try await store.readStream(Fixtures.stream("person-none"), from: 0, direction: .forward, maxCount: 9).isEmpty)
            #expect(try await store.streamVersion(of: Fixtures.stream("person-none")) == nil)
        }
    }

    @Test("a category read keeps only its streams and says how far it looked")
    func categoryRead() async throws {
        try await TestStores.with { store in
            for i in 0..<5 {
                try await store.append(Fixtures.events(2), to: Fixtures.stream("person-\(i)"))
                try await store.append(Fixtures.events(1), to: Fixtures.stream("household-\(i)"))
            }
            try await store.append(Fixtures.events(1), to: Fixtures.stream("person"))
            try await store.append(Fixtures.events(1), to: Fixtures.stream("personnel-1"))
            let all = try await store.read(from: 1, filter: .category("person"), maxCount: 100)
            #expect(all.count == 11)
            #expect(all.nextPosition == 18)  // looked at everything up to the head, 17
            #expect(all.events.allSatisfy { $0.stream.category == "person" })
            let some = try await store.read(from: 1, filter: .category("person"), maxCount: 3)
            #expect(some.events.map(\.position) == [1, 2, 4])
            #expect(some.nextPosition == 5)
            let none = try await store.read(from: 1, filter: .category("nobody"), maxCount: 3)
            #expect(none.isEmpty)
            #expect(none.nextPosition == 18)
            let past = try await store.read(from: 40, filter: .all, maxCount: 3)
            #expect(past.isEmpty)
            #expect(past.nextPosition == 40)
        }
    }

    @Test("closing and reopening keeps everything; the chain continues")
    func reopen() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        let s = Fixtures.stream("person-77")
        let first = try await TestStores.open(schema: schema)
        try await first.append(Fixtures.events(5), to: s)
        try await first.close()
        await #expect(throws: EventLogError.self) { try await first.append(Fixtures.events(1), to: s) }
        let second = try await TestStores.open(schema: schema)
        #expect(try await second.headPosition() == 5)
        try await second.append(Fixtures.events(2), to: s, expecting: .exactly(4))
        let report = await LogVerifier.verify(second)
        #expect(report.failure == nil)
        #expect(report.intactUpTo == 7)
        try await second.close()
    }

    @Test("8 concurrent appenders with the same expected version: exactly one wins")
    func concurrentSameVersion() async throws {
        try await TestStores.with { store in
            let s = Fixtures.stream("person-race")
            try await store.append(Fixtures.events(1), to: s, expecting: .noStream)
            for round in 0..<5 {
                let outcomes = try await withThrowingTaskGroup(of: Result<AppendResult, EventLogError>.self) { group in
                    for _ in 0..<8 {
                        group.addTask {
                            try await store.append([StreamAppend(stream: s, expected: .exactly(StreamVersion(round)), events: Fixtures.events(1))])[0]
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(outcomes.filter { (try? $0.get()) != nil }.count == 1)
                #expect(outcomes.filter { $0.failureCode == .wrongExpectedVersion }.count == 7)
            }
            #expect(try await store.streamVersion(of: s) == 5)
        }
    }

    @Test("a newer schema version than the code knows is refused on open")
    func newerSchemaRefused() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        try await TestStores.open(schema: schema).close()
        let c = try PGConnection(try TestServer.connectionString())
        try c.execute("INSERT INTO \"\(schema)\".schema_version (version, description) VALUES (99, 'future')")
        do {
            _ = try await TestStores.open(schema: schema)
            Issue.record("expected unsupportedFormat")
        } catch let e as EventLogError {
            #expect(e.code == .unsupportedFormat)
        }
    }

    @Test("a bad schema name is refused before anything is spliced into SQL")
    func badSchemaName() async throws {
        do {
            _ = try await PostgresEventStore(.init(connectionString: try TestServer.connectionString(), schema: "x; DROP TABLE y"))
            Issue.record("expected invalidArgument")
        } catch let e as EventLogError {
            #expect(e.code == .invalidArgument)
        }
    }

    @Test("the log reads in psql: plain columns, metadata and payload as JSON; rows cannot be changed")
    func readableInPSQL() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        let store = try await TestStores.open(schema: schema)
        let meta = EventMetadata(actor: "source:tax", headers: ["feed-line": "42"])
        try await store.append([Fixtures.event("PersonRegistered", payload: "{\"name\": \"x\"}", metadata: meta),
                                Fixtures.event("Binary", payload: "\u{01}\u{02}")], to: Fixtures.stream("person-5"))
        try await store.close()
        let c = try PGConnection(try TestServer.connectionString())
        let r = try c.query(
            "SELECT stream_id, event_type, metadata->>'actor', metadata->'headers'->>'feed-line', payload::text FROM \"\(schema)\".events_readable ORDER BY position",
            binaryResult: false)
        #expect(r.rowCount == 2)
        #expect(r.string(0, 0) == "person-5")
        #expect(r.string(0, 1) == "PersonRegistered")
        #expect(r.string(0, 2) == "source:tax")
        #expect(r.string(0, 3) == "42")
        #expect(r.string(0, 4) == "{\"name\": \"x\"}")
        #expect(r.string(1, 4).contains("base64"))
        do {
            try c.execute("UPDATE \"\(schema)\".events SET event_type = 'X'")
            Issue.record("expected the append-only trigger to refuse")
        } catch {
            #expect(error.sqlState == "42501")
        }
    }

    @Test("verify compares the head row with the last row: a deleted or altered last row is damage, not a shorter log")
    func declaredHeadIsChecked() async throws {
        for alteration in ["delete", "hash", "head"] {
            let schema = TestStores.newSchema()
            defer { try? TestStores.drop(schema) }
            let store = try await TestStores.open(schema: schema)
            for i in 0..<3 { try await store.append([Fixtures.event("Counted", payload: "\(i)")], to: Fixtures.stream("s-1")) }
            #expect(await LogVerifier.verify(store).failure == nil)
            #expect(await store.knownDamage() == nil)
            let c = try PGConnection(try TestServer.connectionString())
            let events = "\"\(schema)\".events"
            try c.execute("ALTER TABLE \(events) DISABLE TRIGGER events_append_only")
            switch alteration {
            case "delete": try c.execute("DELETE FROM \(events) WHERE position = 3")
            case "hash": try c.execute("UPDATE \(events) SET record = overlay(record placing decode(repeat('ab', 32), 'hex') from 49 for 32) WHERE position = 3")
            default: try c.execute("UPDATE \"\(schema)\".head SET last_hash = decode(repeat('cd', 32), 'hex')")
            }
            try c.execute("ALTER TABLE \(events) ENABLE TRIGGER events_append_only")
            let report = await LogVerifier.verify(store)
            let failure = try #require(report.failure, "\(alteration): verify found nothing")
            #expect(alteration != "delete" || (failure.code == .corruptRecord && failure.position == 3 && report.intactUpTo == 2), "\(failure)")
            #expect(await store.knownDamage() != nil, "\(alteration)")
            try await store.close()
        }
    }

    @Test("a row altered with the trigger disabled is never read as data: the log read stops before it with hash-chain-broken")
    func alteredRowIsNotRead() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        let store = try await TestStores.open(schema: schema)
        for i in 0..<5 { try await store.append([Fixtures.event("Counted", payload: "\(i)")], to: Fixtures.stream("s-1")) }
        // The payload is the record's last byte ("2"): same length, so only the chain can tell.
        try TestStores.setLastPayloadCharacter("9", schema: schema, position: 3)
        var seen: [LogPosition] = []
        do {
            for try await batch in store.readAll(batchSize: 2) { seen += batch.events.map(\.position) }
            Issue.record("the altered row was read")
        } catch let error as EventLogError {
            #expect(error.code == .hashChainBroken)
            #expect(error.position == 3)
        }
        #expect(seen == [1, 2])
        // A read starting after it takes the previous record's stored hash: later records still read.
        var later: [LogPosition] = []
        for try await batch in store.readAll(from: 4) { later += batch.events.map(\.position) }
        #expect(later == [4, 5])
        #expect(await LogVerifier.verify(store).failure?.position == 3)
        try await store.close()
    }

    @Test("server errors carry their SQLSTATE and no row values")
    func errorsCarrySQLState() async throws {
        let c = try PGConnection(try TestServer.connectionString())
        do {
            try c.query("SELEC 1")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.sqlState == "42601")
            #expect(error.asEventLogError.code == .ioFailure)
            #expect(error.asEventLogError.message.contains("42601"))
        }
        #expect(throws: PostgresError.self) { try PGConnection("host=127.0.0.1 port=1 connect_timeout=2") }
    }

    @Test("a closed store refuses work")
    func closed() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        let store = try await TestStores.open(schema: schema)
        try await store.close()
        await #expect(throws: EventLogError.self) { try await store.headPosition() }
        await #expect(throws: EventLogError.self) { try await store.waitForAppend(after: 0) }
    }
}

extension Result where Failure == EventLogError {
    var failureCode: EventLogError.Code? {
        if case .failure(let e) = self { return e.code }
        return nil
    }
}
