import EventLog
import Foundation
import Testing
@testable import PostgresStore

/// Lost connections: the store reports the failure as `ioFailure` and reconnects for the next call; live
/// wake-ups survive the listening connection being cut (it reconnects and reads the head).
@Suite("Lost connections")
struct ResilienceTests {
    /// Terminates the server sessions of one store role (`writer`, `reader`, `listener`).
    func terminate(_ schema: String, role: String) throws -> Int {
        let c = try PGConnection(try TestServer.connectionString())
        var p = PGParameters()
        p.append("registry-\(schema).\(role)%")
        let r = try c.query(
            "SELECT count(pg_terminate_backend(pid))::int8 FROM pg_stat_activity WHERE application_name LIKE $1", p)
        return Int(r.int64(0, 0))
    }

    @Test("a killed writer connection fails one append with ioFailure; the next reconnects and the chain holds")
    func writerReconnects() async throws {
        try await TestStores.with { store in
            let s = Fixtures.stream("person-1")
            try await store.append(Fixtures.events(2), to: s)
            #expect(try terminate(store.schema.name, role: "writer") == 1)
            do {
                try await store.append(Fixtures.events(1), to: s)
            } catch let e as EventLogError {
                #expect(e.code == .ioFailure)
            }
            try await store.append(Fixtures.events(1), to: s)
            let report = await LogVerifier.verify(store)
            #expect(report.failure == nil)
            #expect(try await store.headPosition() == report.intactUpTo)
        }
    }

    @Test("a killed listener connection reconnects: waiters are still woken")
    func listenerReconnects() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        let waiter = try await TestStores.open(schema: schema, pollInterval: .seconds(120))
        let writer = try await TestStores.open(schema: schema, pollInterval: .seconds(120))
        #expect(try terminate(schema, role: "listener") == 0, "opening starts no listener")
        try await waiter.startListening()
        #expect(try terminate(schema, role: "listener") == 1, "the waiter's listener; the writer never waited")
        let woke = Task { try await waiter.waitForAppend(after: 0) }
        try await Task.sleep(for: .milliseconds(300))
        try await writer.append(Fixtures.events(1), to: Fixtures.stream("person-2"))
        let outcome = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await woke.value; return true }
            group.addTask { try await Task.sleep(for: .seconds(10)); return false }
            let first = try await group.next()!
            group.cancelAll()
            woke.cancel()
            return first
        }
        #expect(outcome, "the waiter was not woken after its listening connection was cut")
        try await waiter.close()
        try await writer.close()
    }
}
