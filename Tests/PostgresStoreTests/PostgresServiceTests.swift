import EventLog
import Foundation
import InMemoryLogging
import Logging
import MetricsTestKit
@testable import PostgresStore
import Testing

/// The PostgreSQL store as a service: a read-only open that creates nothing, a listener that starts only when
/// needed and logs its reconnects, and its metrics.
@Suite("PostgreSQL store: service, logs and metrics", .serialized)
struct PostgresServiceTests {
    func listeners(_ schema: String) throws -> Int {
        let c = try PGConnection(try TestServer.connectionString())
        var p = PGParameters()
        p.append("registry-\(schema).listener")
        let r = try c.query("SELECT count(*)::int8 FROM pg_stat_activity WHERE application_name = $1", p)
        return Int(r.int64(0, 0))
    }

    /// Listeners that have started: connected, listening and idle after reading the head (a connection cut before
    /// that fails the start, which is not the reconnect under test).
    func listening(_ schema: String) throws -> Int {
        let c = try PGConnection(try TestServer.connectionString())
        var p = PGParameters()
        p.append("registry-\(schema).listener")
        let r = try c.query(
            "SELECT count(*)::int8 FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle' AND query LIKE 'SELECT last_position%'", p)
        return Int(r.int64(0, 0))
    }

    func terminateListener(_ schema: String) throws -> Int {
        let c = try PGConnection(try TestServer.connectionString())
        var p = PGParameters()
        p.append("registry-\(schema).listener")
        let r = try c.query("SELECT count(pg_terminate_backend(pid))::int8 FROM pg_stat_activity WHERE application_name = $1", p)
        return Int(r.int64(0, 0))
    }

    @Test("read-only: a missing schema is not-found and is not created; an existing one reads; appends are refused")
    func readOnly() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        do {
            _ = try await TestStores.open(schema: schema, access: .readOnly)
            Issue.record("opened a schema that does not exist")
        } catch let e as EventLogError {
            #expect(e.code == .storeNotFound)
        }
        let c = try PGConnection(try TestServer.connectionString())
        var p = PGParameters()
        p.append(schema)
        #expect(try c.query("SELECT count(*)::int8 FROM pg_namespace WHERE nspname = $1", p).int64(0, 0) == 0, "nothing created")
        let writer = try await TestStores.open(schema: schema)
        try await writer.append(Fixtures.events(2), to: Fixtures.stream("person-1"))
        let reader = try await TestStores.open(schema: schema, access: .readOnly)
        #expect(try await reader.headPosition() == 2)
        do {
            try await reader.append(Fixtures.events(1), to: Fixtures.stream("person-1"))
            Issue.record("a read-only store appended")
        } catch let e as EventLogError {
            #expect(e.code == .readOnly)
        }
        try await reader.close()
        try await writer.close()
    }

    @Test("the listener starts with run() or the first wait, logs its reconnect, and stops on cancellation")
    func listenerLifecycle() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        let logs = InMemoryLogHandler()
        let store = try await TestStores.open(schema: schema, pollInterval: .milliseconds(200), logger: Logger(label: "pg") { _ in logs })
        #expect(try listeners(schema) == 0, "no listener thread from opening")
        let running = Task { try await store.run() }
        var started = 0
        for _ in 0..<100 where started == 0 {
            try await Task.sleep(for: .milliseconds(50))
            started = try listening(schema)
        }
        #expect(started == 1)
        #expect(try terminateListener(schema) == 1)
        var reconnected = false
        for _ in 0..<100 where !reconnected {
            try await Task.sleep(for: .milliseconds(50))
            reconnected = logs.entries.contains { $0.message.description.contains("listener reconnected") }
        }
        #expect(reconnected)
        #expect(logs.entries.contains { $0.level == .warning && $0.message.description.contains("lost its connection") })
        running.cancel()
        try await running.value
        #expect(try listeners(schema) == 0, "stopped with the store")
        await #expect(throws: EventLogError.self) { try await store.headPosition() }
    }

    @Test("appends, group size and reads are counted")
    func metrics() async throws {
        let schema = TestStores.newSchema()
        defer { try? TestStores.drop(schema) }
        let metrics = TestMetrics()
        let store = try await TestStores.open(schema: schema, metricsFactory: metrics)
        for i in 0..<3 { try await store.append(Fixtures.events(2), to: Fixtures.stream("person-\(i)")) }
        var read = 0
        for try await batch in store.readAll() { read += batch.count }
        #expect(read == 6)
        #expect(metrics.counterTotal(label: EventLogMetrics.appendedEvents, dimensions: [("store", "postgres")]) == 6)
        #expect(try metrics.expectTimer(EventLogMetrics.appendLatency, [("store", "postgres")]).values.count == 3)
        #expect(try metrics.expectRecorder(EventLogMetrics.commitGroupSize, [("store", "postgres")]).values.reduce(0, +) == 3)
        #expect(metrics.counterTotal(label: EventLogMetrics.readEvents, dimensions: [("store", "postgres")]) >= 6)
        try await store.close()
    }
}
