import EventLog
import InMemoryLogging
import Logging
import MemoryStore
import MetricsTestKit
import RegistryDomain
import RegistryProjections
import ServiceLifecycle
import Testing

/// A live projection as a swift-service-lifecycle service: it follows its store from `run()`, reports its lag and
/// position, logs its catch-up, and stops cleanly on cancellation or graceful shutdown.
@Suite("Live projection: service, logs and metrics")
struct LiveProjectionServiceTests {
    @Test("run() follows the store; lag and position are reported; cancellation stops it without an error")
    func followsAndReports() async throws {
        let log = try await CityLog()
        let metrics = TestMetrics()
        let logs = InMemoryLogHandler()
        let live = LiveProjection(RegistryFold(), following: log.store, name: "city", batchSize: 4,
                                  logger: Logger(label: "test") { _ in logs }, metricsFactory: metrics)
        let running = Task { try await live.run() }
        try await live.waitUntil(position: 22)
        let h = CityLog.id("120101", "19991111", "079")
        try await log.append(h, CityLog.registered(h, residence: "120101001003"), "2024-06-01")
        let head = try await log.store.headPosition()
        try await live.waitUntil(position: head)
        running.cancel()
        try await running.value

        let dimensions = [("projection", "city")]
        #expect(try metrics.expectGauge(EventLogMetrics.projectionPosition, dimensions).lastValue == Double(head))
        #expect(try metrics.expectGauge(EventLogMetrics.projectionLag, dimensions).lastValue == 0)
        let lag = try metrics.expectGauge(EventLogMetrics.projectionLagSeconds, dimensions)
        #expect(!lag.values.isEmpty && lag.values.allSatisfy { $0 >= 0 })
        #expect(logs.entries.contains { $0.message.description.contains("catching up") })
        #expect(logs.entries.contains { $0.message.description.contains("caught up") && $0.metadata["position"] == "22" })
        #expect(live.current == (try await ProjectionEngine.rebuild(RegistryFold(), from: log.store)))
    }

    @Test("in a ServiceGroup, graceful shutdown stops the projection and closes the store")
    func gracefulShutdown() async throws {
        let log = try await CityLog()
        let live = LiveProjection(RegistryFold(), following: log.store, name: "group")
        let group = ServiceGroup(configuration: .init(services: [log.store, live], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await live.waitUntil(position: 22)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let h = CityLog.id("120101", "19991111", "079")
        await #expect(throws: EventLogError.self, "the store closed") {
            try await log.append(h, CityLog.registered(h, residence: "120101001003"), "2024-06-01")
        }
    }

    @Test("a projection made without a store refuses run()")
    func noStore() async throws {
        let live = LiveProjection(RegistryFold())
        await #expect(throws: EventLogError.self) { try await live.run() }
    }
}
