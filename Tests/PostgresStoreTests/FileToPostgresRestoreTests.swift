import EventLog
import FileStore
import Foundation
import RegistryDomain
import Testing
@testable import PostgresStore

/// The stores agree: a file-store log exported as JSON Lines and restored into PostgreSQL (`registry export`,
/// then `registry import --no-rules`, through the same library calls) is the same log, record for record.
@Suite("A file-store export restores into PostgreSQL whole", .serialized)
struct FileToPostgresRestoreTests {
    /// A valid citizen ID of a person born on 1985-03-17 in 和平区, numbered `n`.
    static func citizenID(_ n: Int) -> String {
        let leading = "12010119850317" + String(format: "%03d", n % 1000)
        return leading + String(CitizenID.checkCharacter(forLeading: leading)!)
    }

    static func uuid(_ n: Int) -> String { String(format: "00000000-0000-4000-8000-%012d", n) }

    /// A log of persons with Chinese names and addresses, metadata headers (Chinese keys, emoji, escapes),
    /// correlation and causation ids, `PersonEnrolled` in schema version 1 and 2, and audit facts.
    static func lines(persons: Range<Int>, audit: Bool = true) -> [String] {
        var lines: [String] = []
        let names = ["张三", "李四", "王五", "赵六", "欧阳娜娜"]
        for i in persons {
            let id = citizenID(i + 1)
            let stream = "person-\(id)"
            let base = (i + 1) * 100
            let correlation = uuid(900_000 + i)
            func line(_ n: Int, _ type: String, _ version: Int, _ effective: String, _ data: String, causation: String? = nil) -> String {
                var text = #"{"id":"\#(uuid(base + n))","stream":"\#(stream)","type":"\#(type)","version":\#(version),"#
                text += #""effective":"\#(effective)","actor":"公安:户籍科-\#(i % 3)","correlation":"\#(correlation)","#
                if let causation { text += #""causation":"\#(causation)","# }
                text += #""headers":{"来源文件":"户籍-2024.csv","feed-line":"\#(i)","备注":"含 emoji 🏠、引号\"与\ttab"},"#
                return text + #""data":\#(data)}"#
            }
            lines.append(line(1, "PersonRegistered", 1, "2024-03-01",
                #"{"citizenID":"\#(id)","name":"\#(names[i % names.count])","hukouAddress":"天津市和平区南京路\#(i + 1)号","residenceAddress":"天津市和平区南营门街道\#(i + 2)号","residenceDivision":"120101001001","source":"publicSecurity"}"#))
            lines.append(line(2, "PersonEnrolled", 1, "2024-03-02T08:30:00.123456Z", #"{"insuranceType":"residentMedical"}"#,
                              causation: uuid(base + 1)))
            lines.append(line(3, "PersonEnrolled", 2, "2024-03-03", #"{"insuranceType":"employeePension","route":"flexibleEmployment"}"#))
            lines.append(line(4, "ContributionInterrupted", 1, "2024-05-01", #"{"insuranceType":"employeePension","reasonCode":"停保"}"#))
        }
        if audit { lines.append(#"{"id":"\#(uuid(1))","stream":"audit-2024-03-01","type":"PersonalDataRevealed","version":1,"effective":"2024-03-01T09:00:00Z","actor":"operator:ops-1","data":{"subject":"\#(citizenID(1))","fields":["name"],"viewer":"ops-1","reason":"核查"}}"#) }
        return lines
    }

    static func bodies(_ store: some EventStore) async throws -> [[UInt8]] {
        var all: [[UInt8]] = []
        for try await batch in store.readAll(batchSize: 50) {
            batch.withRecords { views in for v in views { all.append(Array(v.body)) } }
        }
        return all
    }

    /// The JSON line without its `recorded` member (the time the restoring store recorded it).
    static func withoutRecorded(_ line: String) -> String {
        line.replacingOccurrences(of: #","recorded":"[^"]*""#, with: "", options: .regularExpression)
    }

    @Test("Every record is byte-identical but its recorded time; with the original recorded times the chain is the original")
    func exportRestoresWhole() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("restore-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Small segments: the log spans sealed segments and an active one.
        let file = try FileEventStore(directory: directory, options: .init(segmentSize: 64 << 10))
        let input = Self.lines(persons: 0..<120)
        let written = try await JSONLinesImporter(store: file, batchSize: 16).importLines(input)
        #expect(written.rejectedCount == 0, "\(written.rejected)")
        #expect(written.acceptedCount == input.count)
        let segments = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".seg") }
        #expect(segments.count >= 2)
        let exported = try await JSONLinesExporter(store: file).lines()
        #expect(exported.count == input.count)

        try await TestStores.with { pg in
            let restored = try await JSONLinesImporter(store: pg, checkRules: false, batchSize: 7).importLines(exported)
            #expect(restored.rejectedCount == 0, "\(restored.rejected)")
            #expect(restored.appendedRanges == [1...LogPosition(input.count)])

            let original = try await Self.bodies(file), copy = try await Self.bodies(pg)
            #expect(original.count == input.count)
            #expect(copy.count == original.count)
            let recorded = RecordFormat.recordedTimeOffset..<(RecordFormat.recordedTimeOffset + 8)
            let hash = RecordFormat.hashOffset..<(RecordFormat.hashOffset + 32)
            var chain = RecordHash.genesis
            var schemaVersions = Set<UInt16>()
            for (n, (a, b)) in zip(original, copy).enumerated() {
                // Every byte but the recorded time and the hash: position, version, effective time, id, schema
                // version, lengths, stream, type, metadata (actor, ids, headers) and payload.
                #expect(a.count == b.count, "record \(n + 1)")
                #expect(a[..<recorded.lowerBound] == b[..<recorded.lowerBound], "record \(n + 1)")
                #expect(a[recorded.upperBound..<hash.lowerBound] == b[recorded.upperBound..<hash.lowerBound], "record \(n + 1)")
                #expect(a[hash.upperBound...] == b[hash.upperBound...], "record \(n + 1)")
                // The restored record, given the original recorded time, hashes to the original chain.
                var rebuilt = b
                rebuilt.replaceSubrange(recorded, with: a[recorded])
                chain = rebuilt.withUnsafeBytes { RecordHash.chaining(chain, body: $0) }
                a.withUnsafeBytes { #expect(chain == RecordView(body: $0).hash, "record \(n + 1)") }
                a.withUnsafeBytes { schemaVersions.insert(RecordView(body: $0).schemaVersion) }
            }
            #expect(schemaVersions == [1, 2])
            // Exported again from PostgreSQL: the same lines but the recorded times.
            let again = try await JSONLinesExporter(store: pg).lines()
            #expect(again.map(Self.withoutRecorded) == exported.map(Self.withoutRecorded))
            #expect(again.contains { $0.contains("欧阳娜娜") && $0.contains("🏠") })
            #expect(await LogVerifier.verify(pg).intactUpTo == LogPosition(input.count))
        }
        #expect(await LogVerifier.verify(file).intactUpTo == LogPosition(input.count))
        try await file.close()
    }
}
