import FuzzSupport
import Testing
import Foundation
import EventLog
import MemoryStore
@testable import RegistryDomain

/// The importer asks the store once per chunk which streams exist (`EventStore.streamVersions(_:)`) and reads only
/// those: the report must be the one it gave when it read every stream.
@Suite struct JSONLinesImporterStreamVersionsTests {
    static func citizen(_ k: Int) -> String {
        let id = "12010119850317" + String(format: "%03d", k)
        return id + String(CitizenID.checkCharacter(forLeading: id)!)
    }

    static func registration(_ n: Int, _ k: Int) -> String {
        JSONLinesImporterTests.line(n, "PersonRegistered", #"{"citizenID":"\#(citizen(k))","name":"张三","hukouAddress":"a","residenceAddress":"b","source":"tax"}"#, stream: "person-\(citizen(k))")
    }

    static func enrolment(_ n: Int, _ k: Int) -> String {
        JSONLinesImporterTests.line(n, "PersonEnrolled", #"{"insuranceType":"maternity","route":"resident"}"#, stream: "person-\(citizen(k))", version: 2)
    }

    /// Every third person of 60 already registered and enrolled.
    static func seeded() async throws -> InMemoryEventStore {
        let store = InMemoryEventStore()
        var lines: [String] = []
        for k in stride(from: 0, to: 60, by: 3) { lines += [registration(10_000 + 2 * k, k), enrolment(10_001 + 2 * k, k)] }
        let report = try await JSONLinesImporter(store: store).importLines(lines)
        #expect(report.acceptedCount == 40)
        return store
    }

    /// Registrations of all 60 (20 already registered under other ids), enrolments (20 already enrolled), a
    /// re-sent line, a bad line, and new persons' second lines in the same batch.
    static let lines: [String] = {
        var lines: [String] = []
        var n = 0
        for k in 0..<60 {
            n += 1; lines.append(registration(n, k))
            n += 1; lines.append(enrolment(n, k))
            if k % 5 == 0 { n += 1; lines.append(JSONLinesImporterTests.line(n, "ContributionInterrupted", #"{"insuranceType":"maternity"}"#, stream: "person-\(citizen(k))")) }
            if k == 7 { lines.append("{not json") }
            if k == 9 { lines.append(registration(10_000 + 2 * 9, 9)) }  // the seeded line itself: already present
        }
        return lines
    }()

    static func outcomes(_ r: ImportReport) -> [String] {
        r.lines.map { line -> String in
            switch line.outcome {
            case .accepted(let p): "\(line.number) accepted \(p)"
            case .alreadyPresent(let p): "\(line.number) present \(p)"
            case .rejected(let code, let reason): "\(line.number) \(code) \(reason)"
            }
        }
    }

    @Test("Into a store holding some of the persons: the same report, and only the streams that exist are read",
          arguments: [1, 7, 1000])
    func onlyExistingStreamsAreRead(batchSize: Int) async throws {
        let answered = StreamReadCountingStore(inner: try await Self.seeded(), answersVersions: true)
        let readAll = StreamReadCountingStore(inner: try await Self.seeded(), answersVersions: false)
        let report = try await JSONLinesImporter(store: answered, batchSize: batchSize).importLines(Self.lines)
        let before = try await JSONLinesImporter(store: readAll, batchSize: batchSize).importLines(Self.lines)
        #expect(Self.outcomes(report) == Self.outcomes(before))
        #expect(report.rejectedCount == 41 && report.alreadyPresentCount == 1)  // 20 + 20 rules, 1 malformed
        let seededStreams = Set(stride(from: 0, to: 60, by: 3).map { try! StreamID("person-\(Self.citizen($0))") })
        #expect(answered.readStreams == seededStreams)
        #expect(readAll.readStreams.count == 60)
        #expect(answered.asked.isSuperset(of: readAll.readStreams))
    }
}

/// Records which streams are read; without `answersVersions`, says every stream exists (so the importer reads
/// each one, as it did before asking).
final class StreamReadCountingStore: ForwardingEventStore, @unchecked Sendable {
    let inner: InMemoryEventStore
    let answersVersions: Bool
    private let lock = NSLock()
    private var read: Set<StreamID> = []
    private var askedStreams: Set<StreamID> = []
    var readStreams: Set<StreamID> { lock.withLock { read } }
    var asked: Set<StreamID> { lock.withLock { askedStreams } }

    init(inner: InMemoryEventStore, answersVersions: Bool) {
        self.inner = inner
        self.answersVersions = answersVersions
    }

    func readStream(_ stream: StreamID, from version: StreamVersion, direction: ReadDirection, maxCount: Int) async throws -> [RecordedEvent] {
        _ = lock.withLock { read.insert(stream) }
        return try await inner.readStream(stream, from: version, direction: direction, maxCount: maxCount)
    }
    func streamVersions(_ streams: [StreamID]) async throws -> [StreamVersion?] {
        lock.withLock { askedStreams.formUnion(streams) }
        return answersVersions ? try await inner.streamVersions(streams) : streams.map { _ in 0 }
    }
}
