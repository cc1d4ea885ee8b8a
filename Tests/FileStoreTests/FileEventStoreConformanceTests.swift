import EventLog
import EventStoreConformance
import FileStore
import Testing

@Suite("File store conformance")
struct FileEventStoreConformanceTests {
    /// Small segments, so the suite also crosses segment boundaries and reads sealed indexes.
    static let options = FileEventStore.Options(segmentSize: 64 << 10)

    static let harness = ConformanceHarness<FileEventStore>(
        make: { try FileEventStore(directory: TemporaryDirectory("conformance").path, options: options) },
        reopen: { store in
            try await store.close()
            return try FileEventStore(directory: store.directory, options: options)
        })

    @Test(arguments: ConformanceCase.allCases)
    func conformance(_ point: ConformanceCase) async throws {
        try await EventStoreConformance(Self.harness).run(point)
    }
}
