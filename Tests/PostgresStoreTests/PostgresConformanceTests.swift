import EventLog
import EventStoreConformance
import Testing
@testable import PostgresStore

/// The shared backend conformance suite, every point, against a real PostgreSQL (each in a schema of its own).
@Suite("PostgreSQL store conformance", .serialized)
struct PostgresConformanceTests {
    static let harness = ConformanceHarness<PostgresEventStore>(
        make: { try await TestStores.open() },
        reopen: { store in
            let schema = store.schema.name
            try await store.close()
            return try await TestStores.open(schema: schema)
        })

    @Test(arguments: ConformanceCase.allCases)
    func conformance(_ point: ConformanceCase) async throws {
        try await EventStoreConformance(Self.harness).run(point)
    }
}
