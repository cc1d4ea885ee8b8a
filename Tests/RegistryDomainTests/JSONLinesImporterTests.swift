import FuzzSupport
import Testing
import Foundation
import EventLog
import MemoryStore
@testable import RegistryDomain

@Suite struct JSONLinesImporterTests {
    static let p = "person-120101198503170024"
    static func line(_ id: Int, _ type: String, _ data: String, stream: String = p, version: Int = 1) -> String {
        let uuid = String(format: "00000000-0000-4000-8000-%012d", id)
        return #"{"id":"\#(uuid)","stream":"\#(stream)","type":"\#(type)","version":\#(version),"effective":"2024-03-01","actor":"import:test","data":\#(data)}"#
    }

    static let registration = line(1, "PersonRegistered", #"{"citizenID":"120101198503170024","name":"张三","hukouAddress":"天津市和平区南京路123号","residenceAddress":"天津市和平区南营门街道1号","residenceDivision":"120101001001","source":"publicSecurity"}"#)

    /// Good and bad lines, mixed; the comment says what each should do.
    static let mixed: [String] = [
        registration,                                                                                  // 1 accepted
        line(2, "PersonEnrolled", #"{"insuranceType":"employeePension","route":"flexibleEmployment"}"#, version: 2),  // 2 accepted
        line(3, "PersonEnrolled", #"{"insuranceType":"employeePension","route":"flexibleEmployment"}"#, version: 2),  // 3 rule: already enrolled
        "{not json",                                                                                   // 4 malformed
        "",                                                                                            // 5 blank: skipped
        line(6, "ContributionResumed", #"{"insuranceType":"maternity","route":"resident"}"#),           // 6 rule: not interrupted
        line(7, "PersonEnrolled", #"{"insuranceType":"residentMedical"}"#),                             // 7 v1, upcast for rules: accepted
        line(8, "StatusMarked", #"{"mark":"unwilling","reasonCode":"U01"}"#, stream: "person-120101198503170025"),  // 8 bad stream id
        line(9, "EmployerScreened", #"{"campaign":"c","staffCount":1,"unenrolledStaff":1}"#),         // 9 wrong category
        line(10, "ContributionInterrupted", #"{"insuranceType":"employeePension","reasonCode":"x"}"#),  // 10 accepted
        line(11, "SurveyReviewed", #"{"taskID":"7D444840-9DC0-11D1-B245-5FFDCE74FAD2","level":"street","decision":"approve","reviewerID":"R"}"#),  // 11 rule: unknown task
        line(12, "PersonalDataRevealed", #"{"subject":"120101198503170024","fields":["name"],"viewer":"ops","reason":"check"}"#, stream: "audit-2024-03-01"),  // 12 accepted
        line(13, "PersonRegistered", #"{"citizenID":"11010519491231002X","name":"李四","hukouAddress":"a","residenceAddress":"b","source":"tax"}"#),  // 13 wrong stream: another person's id
    ]

    @Test func mixedGoodAndBadLines() async throws {
        let store = InMemoryEventStore()
        let importer = JSONLinesImporter(store: store, batchSize: 4)
        let report = try await importer.importLines(Self.mixed)
        let byLine = Dictionary(uniqueKeysWithValues: report.lines.map { ($0.number, $0.outcome) })
        #expect(byLine[5] == nil)
        #expect(report.lines.count == 12)
        func code(_ n: Int) -> String? { if case .rejected(let c, _) = byLine[n] { c } else { nil } }
        func accepted(_ n: Int) -> Bool { if case .accepted = byLine[n] { true } else { false } }
        #expect(accepted(1) && accepted(2) && accepted(7) && accepted(10) && accepted(12))
        #expect(code(3) == "already-enrolled")
        #expect(code(4) == "malformed-json")
        #expect(code(6) == "not-interrupted")
        #expect(code(8) == "invalid-stream")
        #expect(code(9) == "wrong-stream")
        #expect(code(11) == "unknown-survey-task")
        #expect(code(13) == "wrong-stream")
        #expect(report.acceptedCount == 5)
        #expect(report.rejectedCount == 7)
        for line in report.rejected {
            if case .rejected(_, let reason) = line.outcome {
                #expect(!reason.contains("120101198503170024"))
                #expect(!reason.contains("张三"))
                #expect(!reason.contains("李四"))
            }
        }
        // Rejected lines appended nothing.
        #expect(try await store.headPosition() == 5)
        let state = try PersonState.fold(try await store.readStream(.person(Fixtures.personID)))
        #expect(state[.employeePension].status == .interrupted)
        #expect(state[.residentMedical].route == .resident)
        let stored = try await store.readStream(.person(Fixtures.personID))
        #expect(stored[2].schemaVersion == 1)  // the v1 line is stored as v1
    }

    @Test func compactReportsKeepOnlyRejections() async throws {
        let store = InMemoryEventStore()
        let report = try await JSONLinesImporter(store: store, reportsEveryLine: false).importLines(Self.mixed)
        #expect(report.acceptedCount == 5)
        #expect(report.rejectedCount == 7)
        #expect(report.lines.count == 7)
        #expect(report.rejected.map(\.number) == [3, 4, 6, 8, 9, 11, 13])
        #expect(report.appendedRanges == [1...5])
    }

    @Test func reImportIsIdempotent() async throws {
        let store = InMemoryEventStore()
        let importer = JSONLinesImporter(store: store, batchSize: 3)
        let first = try await importer.importLines(Self.mixed)
        let second = try await importer.importLines(Self.mixed)
        #expect(second.acceptedCount == 0)
        #expect(second.alreadyPresentCount == first.acceptedCount)
        #expect(try await store.headPosition() == 5)
        // Rejections stay rejections.
        #expect(second.rejectedCount == first.rejectedCount)
    }

    @Test func aLineChangedUnderTheSameIDIsRejected() async throws {
        let store = InMemoryEventStore()
        let importer = JSONLinesImporter(store: store)
        _ = try await importer.importLines([Self.registration])
        let altered = Self.registration.replacingOccurrences(of: "publicSecurity", with: "tax")
        let report = try await importer.importLines([altered])
        if case .rejected(let code, _) = report.lines[0].outcome { #expect(code == "duplicate-event-id") } else { Issue.record("accepted") }
    }

    @Test func withoutRulesOnlyFormIsChecked() async throws {
        let store = InMemoryEventStore()
        let importer = JSONLinesImporter(store: store, checkRules: false)
        let report = try await importer.importText(Self.mixed.joined(separator: "\n"))
        // Lines 3, 6 and 11 break rules but pass the form checks.
        #expect(report.acceptedCount == 8)
        #expect(report.rejectedCount == 4)
    }

    @Test func aLineRefusedByTheStoreHoldsBackTheLaterLinesOfItsStream() async throws {
        let store = InMemoryEventStore()
        let importer = JSONLinesImporter(store: store, batchSize: 10)
        _ = try await importer.importLines([Self.registration])
        // Line 1 reuses the registration's id with other content: it passes the rules (the id is known, so it is
        // left to the store) but the store refuses it. Line 2 of the same stream is held back.
        let altered = Self.registration.replacingOccurrences(of: "publicSecurity", with: "tax")
        let enrol = Self.line(20, "PersonEnrolled", #"{"insuranceType":"maternity","route":"resident"}"#, version: 2)
        let report = try await importer.importLines([altered, enrol])
        #expect(report.rejectedCount == 2)
        if case .rejected(let code, _) = report.lines[0].outcome { #expect(code == "duplicate-event-id") }
        if case .rejected(let code, _) = report.lines[1].outcome { #expect(code == ImportReport.earlierLineRejected) }
        #expect(try await store.headPosition() == 1)
        // Re-running the good line alone appends it.
        let rerun = try await importer.importLines([enrol])
        #expect(rerun.acceptedCount == 1)
    }

    @Test func dependentLinesInOneBatchFailTogether() async throws {
        let store = InMemoryEventStore()
        let importer = JSONLinesImporter(store: store, batchSize: 10)
        _ = try await importer.importLines([Self.registration])
        // Line 1 is checked and followed; then a concurrent writer appends before the batch is flushed, so both
        // lines of the stream fail on their expected versions instead of bypassing the rules.
        let racing = RacingStore(inner: store)
        let racingImporter = JSONLinesImporter(store: racing, batchSize: 10)
        let l1 = Self.line(21, "PersonEnrolled", #"{"insuranceType":"maternity","route":"resident"}"#, version: 2)
        let l2 = Self.line(22, "ContributionInterrupted", #"{"insuranceType":"maternity"}"#)
        let report = try await racingImporter.importLines([l1, l2])
        #expect(report.rejectedCount == 2)
        if case .rejected(let code, _) = report.lines[0].outcome { #expect(code == "wrong-expected-version") }
        if case .rejected(let code, _) = report.lines[1].outcome { #expect(code == ImportReport.earlierLineRejected) }
        // Nothing of ours was appended: only the racing writer's event.
        #expect(try await store.readStream(.person(Fixtures.personID)).map(\.type) == ["PersonRegistered", "StatusMarked"])
    }

    @Test("A line refused by the store in one batch: the next batch's lines of its stream are judged on the store's state")
    func aRefusalIsSeenByTheNextBatch() async throws {
        let store = InMemoryEventStore()
        _ = try await JSONLinesImporter(store: store).importLines([Self.registration])
        // One line per batch, so the second line is read and judged while the first is being appended. The
        // racing writer makes the store refuse the enrolment; the interruption after it must then be judged on
        // the stream as stored (not enrolled), not on the state that counted the refused enrolment.
        let racing = RacingStore(inner: store)
        let importer = JSONLinesImporter(store: racing, batchSize: 1)
        let enrol = Self.line(23, "PersonEnrolled", #"{"insuranceType":"maternity","route":"resident"}"#, version: 2)
        let interrupt = Self.line(24, "ContributionInterrupted", #"{"insuranceType":"maternity"}"#)
        let report = try await importer.importLines([enrol, interrupt])
        #expect(report.rejectedCount == 2)
        if case .rejected(let code, _) = report.lines[0].outcome { #expect(code == "wrong-expected-version") } else { Issue.record("line 1 accepted") }
        if case .rejected(let code, _) = report.lines[1].outcome { #expect(code == "not-enrolled") } else { Issue.record("line 2 accepted") }
        #expect(try await store.readStream(.person(Fixtures.personID)).map(\.type) == ["PersonRegistered", "StatusMarked"])
    }

    @Test("Many batches in flight one after another: the same report and log as one line at a time")
    func pipelinedBatchesMatchSequentialImport() async throws {
        var lines: [String] = []
        var n = 100
        for k in 0..<40 {
            let id = "12010119850317" + String(format: "%03d", 100 + k)
            let citizen = id + String(CitizenID.checkCharacter(forLeading: id)!)
            let stream = "person-\(citizen)"
            n += 1
            lines.append(Self.line(n, "PersonRegistered", #"{"citizenID":"\#(citizen)","name":"张三","hukouAddress":"a","residenceAddress":"b","source":"tax"}"#, stream: stream))
            n += 1
            lines.append(Self.line(n, "PersonEnrolled", #"{"insuranceType":"maternity","route":"resident"}"#, stream: stream, version: 2))
            n += 1
            // Every third person enrols twice: a rule refusal in the middle of the stream.
            lines.append(Self.line(n, k % 3 == 0 ? "PersonEnrolled" : "ContributionInterrupted",
                                   k % 3 == 0 ? #"{"insuranceType":"maternity","route":"resident"}"# : #"{"insuranceType":"maternity"}"#,
                                   stream: stream, version: k % 3 == 0 ? 2 : 1))
        }
        lines.append(lines[4])  // a line repeated: already present
        let one = InMemoryEventStore()
        let sequential = try await JSONLinesImporter(store: one, batchSize: 1_000_000).importLines(lines)
        for batchSize in [1, 2, 7, 64] {
            let store = InMemoryEventStore()
            let report = try await JSONLinesImporter(store: store, batchSize: batchSize).importLines(lines)
            #expect(report.lines.map { Self.kind($0.outcome) } == sequential.lines.map { Self.kind($0.outcome) }, "batch size \(batchSize)")
            var ids: [UUID] = [], expected: [UUID] = []
            for try await batch in store.readAll() { ids += batch.events.map(\.id) }
            for try await batch in one.readAll() { expected += batch.events.map(\.id) }
            #expect(Set(ids) == Set(expected) && ids.count == expected.count)
        }
        #expect(sequential.rejectedCount == 14 && sequential.alreadyPresentCount == 1)
    }

    @Test("Lines over several parsing chunks, from a file (CRLF, blank and bad lines, no final newline): the same report as the lines given one by one")
    func chunkedFileMatchesLines() async throws {
        var lines: [String] = []
        var n = 1000
        for k in 0..<(JSONLinesImporter<InMemoryEventStore>.chunkLines + 300) / 2 {
            let id = "12010119850317" + String(format: "%03d", k)
            let citizen = id + String(CitizenID.checkCharacter(forLeading: id)!)
            let stream = "person-\(citizen)"
            n += 1
            lines.append(Self.line(n, "PersonRegistered", #"{"citizenID":"\#(citizen)","name":"张三","hukouAddress":"a","residenceAddress":"b","source":"tax"}"#, stream: stream))
            n += 1
            switch k % 7 {
            case 0: lines.append("{not json")
            case 1: lines.append("   ")
            case 2: lines.append(Self.line(n, "ContributionResumed", #"{"insuranceType":"maternity","route":"resident"}"#, stream: stream))
            default: lines.append(Self.line(n, "PersonEnrolled", #"{"insuranceType":"maternity","route":"resident"}"#, stream: stream, version: 2))
            }
        }
        let expected = try await JSONLinesImporter(store: InMemoryEventStore(), batchSize: 100).importLines(lines)
        // The same lines as bytes, and from a file whose line ends alternate between LF and CRLF, without a final one.
        let asBytes = try await JSONLinesImporter(store: InMemoryEventStore(), batchSize: 100).importLines(lines.map { Array($0.utf8) })
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chunked-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        var text = ""
        for (i, line) in lines.enumerated() { text += line + (i == lines.count - 1 ? "" : i % 2 == 0 ? "\r\n" : "\n") }
        try Data(text.utf8).write(to: file)
        let fromFile = try await JSONLinesImporter(store: InMemoryEventStore(), batchSize: 100).importFile(at: file)
        func outcomes(_ r: ImportReport) -> [String] {
            r.lines.map { line -> String in
                if case .rejected(let code, let reason) = line.outcome { return "\(line.number) \(code) \(reason)" }
                return "\(line.number) \(Self.kind(line.outcome))"
            }
        }
        #expect(expected.lines.count == lines.count - lines.filter { $0.allSatisfy { $0 == " " } }.count)
        // Each line's outcome from how it was made, not from another run of the same pipeline: line numbers across
        // the chunk boundaries, in order, blank lines skipped, each line judged on its own stream.
        let made = lines.enumerated().compactMap { i, text -> String? in
            if text.allSatisfy({ $0 == " " }) { return nil }
            let kind = text == "{not json" ? "rejected malformed-json"
                : text.contains("ContributionResumed") ? "rejected not-interrupted" : "accepted"
            return "\(i + 1) \(kind)"
        }
        let reported = expected.lines.map { line -> String in
            if case .rejected(let code, _) = line.outcome { return "\(line.number) rejected \(code)" }
            return "\(line.number) \(Self.kind(line.outcome))"
        }
        #expect(reported == made)
        #expect(outcomes(asBytes) == outcomes(expected))
        #expect(outcomes(fromFile) == outcomes(expected))
        #expect(expected.rejectedCount > 0 && expected.acceptedCount > 0 && expected.lines.count > JSONLinesImporter<InMemoryEventStore>.chunkLines)
    }

    @Test("A file that fails to read part-way is an error, never a complete-looking report")
    func unreadableFileIsAnError() async throws {
        // A directory passes `isReadableFile` and opens, and then every read fails (EISDIR): before, the import
        // took the failure for the end of the file and returned an empty report.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unreadable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = InMemoryEventStore()
        do {
            let report = try await JSONLinesImporter(store: store).importFile(at: dir)
            Issue.record("a file that could not be read was imported as \(report.lines.count) lines")
        } catch let error as EventLogError {
            #expect(error.code == .ioFailure)
        } catch let error as EventFormatError {
            #expect(error.code == .malformedJSON, "refused before reading: \(error)")
        }
        #expect(try await store.headPosition() == 0)
    }

    /// An outcome without its position (positions follow the rounds a batch is sent in).
    static func kind(_ outcome: ImportReport.Outcome) -> String {
        switch outcome {
        case .accepted: "accepted"
        case .alreadyPresent: "already present"
        case .rejected(let code, _): code
        }
    }
}

/// Appends a foreign event to every stream of an append call just before it.
final class RacingStore: ForwardingEventStore {
    let inner: InMemoryEventStore
    init(inner: InMemoryEventStore) { self.inner = inner }
    func append(_ requests: [StreamAppend]) async throws -> [Result<AppendResult, EventLogError>] {
        for stream in Set(requests.map(\.stream)) {
            let e = RegistryEvent.statusMarked(StatusMarked(mark: .studying, reasonCode: "S01")).proposed(effective: Fixtures.day, metadata: .none)
            _ = try await inner.append([StreamAppend(stream: stream, expected: .any, events: [e])])
        }
        return try await inner.append(requests)
    }
}
