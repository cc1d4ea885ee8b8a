import FuzzSupport
import EventLog
import Foundation
import MemoryStore
@testable import RegistryDomain
import Synchronization
import Testing

/// An import whose store fails part-way: the store's error, nothing appended after the failing batch, and nothing
/// of the import left running when it returns (the next chunk's parse included).
@Suite("JSON Lines import: a store failing part-way")
struct JSONLinesImporterFailureTests {
    /// A store whose appends fail (throw) after a number of successful ones.
    final class FailingStore: ForwardingEventStore {
        let inner = InMemoryEventStore()
        let remaining: Mutex<Int>
        let failedAppends = Mutex(0)

        struct Failure: Error {}

        init(appendsBeforeFailure: Int) { remaining = Mutex(appendsBeforeFailure) }

        func append(_ requests: [StreamAppend]) async throws -> [Result<AppendResult, EventLogError>] {
            let fails = remaining.withLock { left in
                if left == 0 { return true }
                left -= 1
                return false
            }
            if fails {
                failedAppends.withLock { $0 += 1 }
                throw Failure()
            }
            return try await inner.append(requests)
        }
    }

    /// `count` registrations of distinct persons, numbered from 1.
    static func registrations(_ count: Int) -> [String] {
        (0..<count).map { k in
            let leading = "120101" + String(format: "198503%02d%03d", k / 900 + 1, 100 + k % 900)
            let citizen = leading + String(CitizenID.checkCharacter(forLeading: leading)!)
            return JSONLinesImporterTests.line(k + 1, "PersonRegistered",
                #"{"citizenID":"\#(citizen)","name":"张三","hukouAddress":"a","residenceAddress":"b","source":"tax"}"#,
                stream: "person-\(citizen)")
        }
    }

    @Test("the store fails on the third batch: its error, the first two batches in the log and nothing after, no parse left running",
          arguments: [false, true])
    func failingStoreStopsTheImport(checkRules: Bool) async throws {
        let chunk = JSONLinesImporter<InMemoryEventStore>.chunkLines
        let lines = Self.registrations(3 * chunk)
        #expect(Set(lines).count == lines.count)
        let store = FailingStore(appendsBeforeFailure: 2)
        // The second chunk's parse is held back half a second: still running when the store's failure, met while
        // the first chunk is judged, reaches the import.
        let probe = ChunkParseProbe(fastParses: 1, delay: .milliseconds(500))
        let importer = JSONLinesImporter(store: store, checkRules: checkRules, batchSize: 100)
        await ChunkParseProbe.$current.withValue(probe) {
            await #expect(throws: FailingStore.Failure.self) { try await importer.importLines(lines) }
        }
        // Nothing of the import runs once it has returned: the chunk parsed while the failing one was judged has
        // finished, and no later chunk was started.
        #expect(probe.running == 0, "a chunk's parse still running after the import returned")
        #expect(probe.started == 2, "chunks parsed: \(probe.started)")
        // The two batches before the failing one are in the log, and nothing after it: one append failed, no other
        // was tried.
        #expect(try await store.inner.headPosition() == 200)
        #expect(store.failedAppends.withLock { $0 } == 1)
        let batch = try await store.inner.read(from: 1, filter: .all, maxCount: 1000)
        let ids = batch.withRecords { $0.map(\.id) }
        #expect(ids == (1...200).map { UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", $0))! })
    }

    /// Lines that end in a read failure after `count` lines.
    struct BrokenSource: JSONLineSource {
        let lines: [String]
        let count: Int
        var next = 0
        struct ReadFailure: Error {}

        mutating func appendNextLine(to buffer: inout [UInt8]) throws -> Bool {
            if next == count { throw ReadFailure() }
            guard next < lines.count else { return false }
            buffer.append(contentsOf: lines[next].utf8)
            next += 1
            return true
        }
    }

    @Test("the input fails to read part-way: its error, and the report holds the lines committed before it",
          arguments: [false, true])
    func readFailureKeepsWhatWasCommitted(checkRules: Bool) async throws {
        let chunk = JSONLinesImporter<InMemoryEventStore>.chunkLines
        let store = InMemoryEventStore()
        var report = ImportReport(keepsEveryLine: false)
        // The read fails in the third chunk: the first chunk was judged and sent (the batch still in flight
        // included); the second, read but not judged, committed nothing.
        let source = BrokenSource(lines: Self.registrations(3 * chunk), count: 2 * chunk + 10)
        await #expect(throws: BrokenSource.ReadFailure.self) {
            try await JSONLinesImporter(store: store, checkRules: checkRules, batchSize: 100).importLines(from: source, into: &report)
        }
        let head = try await store.headPosition()
        #expect(head == 1000, "the first chunk's full batches")
        #expect(report.acceptedCount == Int(head) && report.alreadyPresentCount == 0 && report.rejectedCount == 0)
        #expect(report.appendedRanges == [1...head])
    }

    @Test("the store fails in the second round of a batch: the first round's lines are in the report as accepted")
    func partialBatchKeepsItsFirstRound() async throws {
        // Ten persons, each registered then enrolled in one batch: round 1 the registrations, round 2 the enrolments.
        var lines: [String] = []
        for (k, registration) in Self.registrations(10).enumerated() {
            lines.append(registration)
            let stream = try #require(registration.firstMatch(of: /"stream":"([^"]+)"/)?.output.1)
            lines.append(JSONLinesImporterTests.line(100 + k, "PersonEnrolled", #"{"insuranceType":"maternity","route":"resident"}"#,
                                                     stream: String(stream), version: 2))
        }
        // And a line the rules refuse before the batch is sent (an enrolment with no registration): rejected, recorded.
        lines.append(JSONLinesImporterTests.line(999, "PersonEnrolled", #"{"insuranceType":"maternity","route":"resident"}"#,
                                                 stream: "person-120101198503170024", version: 1))
        let store = FailingStore(appendsBeforeFailure: 1)
        var report = ImportReport(keepsEveryLine: true)
        await #expect(throws: FailingStore.Failure.self) {
            try await JSONLinesImporter(store: store, checkRules: true, batchSize: 100).importLines(from: BrokenSource(lines: lines, count: lines.count + 1), into: &report)
        }
        #expect(try await store.inner.headPosition() == 10)
        #expect(report.acceptedCount == 10 && report.rejectedCount == 1 && report.appendedRanges == [1...10])
        #expect(report.lines.map(\.number) == Array(stride(from: 1, through: 19, by: 2)) + [21], "the registrations' lines and the refused one")
    }
}
