import Testing
import Foundation
import EventLog
import MemoryStore
@testable import RegistryDomain

@Suite struct JSONLinesExporterTests {
    /// A log with every event type, an old-version event and varied metadata.
    func populatedStore() async throws -> InMemoryEventStore {
        let store = InMemoryEventStore()
        for (i, event) in Fixtures.everyEvent.enumerated() {
            var meta = Fixtures.metadata
            meta.headers["n"] = String(i)
            if i % 2 == 0 { meta.causationID = UUID() }
            let effective = Timestamp(microsecondsSinceEpoch: Fixtures.day.microsecondsSinceEpoch + Int64(i) * 1_234_567)
            try await store.append([event.proposed(id: UUID(), effective: effective, metadata: meta)], to: Fixtures.stream(for: event))
        }
        let v1 = StoredRegistryEvent.personEnrolledV1(PersonEnrolledV1(insuranceType: .unemployment)).proposed(id: UUID(), effective: Fixtures.day, metadata: .none)
        try await store.append([v1], to: .person(Fixtures.otherPersonID))
        return store
    }

    struct Content: Equatable {
        var stream: StreamID
        var event: ProposedEvent
    }

    /// Everything a writer sets: stream, id, type, version, effective time, payload, metadata.
    func content(_ e: RecordedEvent) -> Content {
        Content(stream: e.stream, event: ProposedEvent(
            id: e.id, type: e.type, schemaVersion: e.schemaVersion, effectiveTime: e.effectiveTime, payload: e.payload, metadata: e.metadata))
    }

    @Test func wholeLogExportImportsBackIdentically() async throws {
        let source = try await populatedStore()
        let exporter = JSONLinesExporter(store: source, batchSize: 5)
        var lines: [String] = []
        let n = try await exporter.exportAll { lines.append($0) }
        #expect(n == Fixtures.everyEvent.count + 1)
        let target = InMemoryEventStore()
        let report = try await JSONLinesImporter(store: target, checkRules: false).importLines(lines)
        #expect(report.rejectedCount == 0)
        var a: [Content] = [], b: [Content] = []
        for try await batch in source.readAll() { a += batch.events.map(content) }
        for try await batch in target.readAll() { b += batch.events.map(content) }
        #expect(a == b)
        // Importing again changes nothing.
        let again = try await JSONLinesImporter(store: target).importLines(lines)
        #expect(again.alreadyPresentCount == lines.count)
    }

    @Test func streamAndCategoryExports() async throws {
        let store = try await populatedStore()
        let exporter = JSONLinesExporter(store: store)
        var person: [String] = []
        try await exporter.exportStream(.person(Fixtures.personID)) { person.append($0) }
        #expect(person.count == Fixtures.everyEvent.filter { $0.category == .person }.count)
        var employers: [String] = []
        try await exporter.exportCategory("employer") { employers.append($0) }
        #expect(employers.count == Fixtures.everyEvent.filter { $0.category == .employer }.count)
        let persons = try await exporter.lines(filter: .category("person"))
        #expect(persons.count == person.count + 1)
        #expect(persons.contains { $0.contains("\"version\":1") && $0.contains("PersonEnrolled") })
        // Lines parse and carry recorded time and position.
        let first = try JSONEventLine.parse(person[0])
        #expect(first.position == 1)
        #expect(first.recorded != nil)
    }

    @Test func fileRoundTrip() async throws {
        let source = try await populatedStore()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("registry-domain-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("export.jsonl")
        // An existing world-readable file is replaced by an owner-only one, not rewritten in place.
        try Data("old\n".utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let n = try await JSONLinesExporter(store: source).export(toFile: file)
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["export.jsonl"])
        // Small chunks exercise lines split across reads.
        let lines = Array(JSONLinesFile(url: file, chunkSize: 7))
        #expect(lines.count == n)
        let target = InMemoryEventStore()
        let report = try await JSONLinesImporter(store: target, checkRules: false).importFile(at: file)
        #expect(report.acceptedCount == n)
        #expect(try await target.headPosition() == source.headPosition())
        await #expect(throws: EventFormatError.self) {
            try await JSONLinesImporter(store: target).importFile(at: dir.appendingPathComponent("missing.jsonl"))
        }
    }

    @Test func lineReaderEdgeCases() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("registry-domain-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("lines.txt")
        try Data("a\r\n\nbc\n张三".utf8).write(to: file)
        #expect(Array(JSONLinesFile(url: file, chunkSize: 2)) == ["a", "", "bc", "张三"])
        try Data().write(to: file)
        #expect(Array(JSONLinesFile(url: file)).isEmpty)
    }
}
