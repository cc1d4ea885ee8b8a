import EventLog
import EventStoreConformance
import MemoryStore
import Testing

@Suite("In-memory store conformance")
struct InMemoryEventStoreTests {
    static let points = ConformanceCase.allCases.filter { !$0.needsPersistence }

    @Test(arguments: points)
    func conformance(_ point: ConformanceCase) async throws {
        try await EventStoreConformance(ConformanceHarness { InMemoryEventStore() }).run(point)
    }
}
