import FuzzSupport
import EventLog
import Foundation
import MemoryStore
import Testing
@testable import RegistryDomain

/// The JSON Lines reader and importer fuzzed: mutated good lines (and splices of two lines) imported into an
/// in-memory store, with and without the rules. No crash, no hang; every rejected line appends nothing: the
/// store holds exactly the accepted lines' events, each byte-equal to what its line says. Long run:
/// `scripts/torture`.
@Suite("JSON Lines importer fuzzing")
struct JSONLinesImporterFuzzTests {
    /// Good lines: every event type as the exporter writes it, and the importer tests' hand-written lines.
    static func seeds() async throws -> [[UInt8]] {
        let store = InMemoryEventStore()
        for (i, event) in Fixtures.everyEvent.enumerated() {
            let id = UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", 900 + i))!
            try await store.append([event.proposed(id: id, effective: Fixtures.day, metadata: Fixtures.metadata)], to: Fixtures.stream(for: event))
        }
        let exported = try await JSONLinesExporter(store: store).lines()
        return (exported + JSONLinesImporterTests.mixed).filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    struct Counts { var lines = 0, accepted = 0, alreadyPresent = 0, rejected = 0 }

    /// Imports one round of lines into a fresh store and checks that the store holds exactly the accepted ones.
    static func importRound(_ lines: [[UInt8]], checkRules: Bool, into counts: inout Counts) async throws {
        let store = InMemoryEventStore()
        let report = try await JSONLinesImporter(store: store, checkRules: checkRules, batchSize: 64).importLines(lines)
        var stored: [UUID: RecordedEvent] = [:]
        for try await batch in store.readAll() { for e in batch.events { stored[e.id] = e } }
        let nonBlank = lines.filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }.count
        #expect(report.lines.count == nonBlank)
        #expect(report.acceptedCount == stored.count, "the store holds \(stored.count) events for \(report.acceptedCount) accepted lines")
        var acceptedIDs: Set<UUID> = []
        for line in report.lines {
            let bytes = lines[line.number - 1]
            switch line.outcome {
            case .accepted:
                let parsed = try JSONEventLine.parse(bytes: bytes)
                // A second, independent reader (Foundation's) must read the same object: one meaning per line
                // (a duplicate key, invalid UTF-8 or a trailing comma accepted by a lenient reader fails here).
                let other = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
                // A UUID's hex digits mean the same in either case (RFC 9562): compared upper-cased.
                if (other?["id"] as? String)?.uppercased() != parsed.id.uuidString || other?["stream"] as? String != parsed.stream.rawValue
                    || other?["type"] as? String != parsed.event.type.rawValue {
                    Issue.record("line \(line.number) was accepted but Foundation's JSON reader reads it otherwise (or not at all): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                }
                acceptedIDs.insert(parsed.id)
                let proposed = parsed.proposed
                let event = try #require(stored[parsed.id], "accepted line \(line.number) is not in the store")
                #expect(event.payload == proposed.payload && event.type == proposed.type && event.stream == parsed.stream
                        && event.effectiveTime == proposed.effectiveTime && event.metadata == proposed.metadata)
            case .alreadyPresent:
                counts.alreadyPresent += 1
            case .rejected(let code, let reason):
                #expect(!code.isEmpty && !reason.isEmpty)
                counts.rejected += 1
            }
        }
        #expect(Set(stored.keys) == acceptedIDs)
        counts.lines += lines.count
        counts.accepted += report.acceptedCount
    }

    /// A line made ambiguous the ways lenient readers differ: a key given twice (the other line's value second),
    /// a trailing comma, a raw invalid byte inside a string.
    static func ambiguous(_ line: [UInt8], other: [UInt8], _ random: inout Mutator) -> [UInt8] {
        let text = String(decoding: line, as: UTF8.self)
        switch Int.random(in: 0..<3, using: &random) {
        case 0:
            let key = ["id", "stream", "type", "effective", "version"].randomElement(using: &random)!
            let otherObject = (try? JSONSerialization.jsonObject(with: Data(other))) as? [String: Any]
            let value = otherObject?[key].flatMap { v in (try? JSONSerialization.data(withJSONObject: [v], options: [.fragmentsAllowed])).map { String(decoding: $0.dropFirst().dropLast(), as: UTF8.self) } } ?? "\"x\""
            return Array(text.dropLast().utf8) + Array(",\"\(key)\":\(value)}".utf8)
        case 1:
            return Array(text.dropLast().utf8) + Array(",}".utf8)
        default:
            guard let quote = line.indices.filter({ line[$0] == 0x22 }).randomElement(using: &random) else { return line }
            var bytes = line
            bytes.insert(contentsOf: [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80]].randomElement(using: &random)!, at: quote + 1)
            return bytes
        }
    }

    static func run(count: Int, seed: UInt64) async throws -> Counts {
        var random = Mutator(seed: seed)
        let corpus = try await seeds()
        var counts = Counts()
        var round = 0
        var done = 0
        while done < count {
            let n = min(200, count - done)
            var lines: [[UInt8]] = []
            for _ in 0..<n {
                let base = corpus.randomElement(using: &random)!
                // A few good lines stay good, so the rules and the store see real appends among the bad ones.
                switch Int.random(in: 0..<10, using: &random) {
                case 0: lines.append(base)  // some good lines stay good, so the rules and the store see real appends
                case 1: lines.append(ambiguous(base, other: corpus.randomElement(using: &random)!, &random))
                default: lines.append(random.mutate(base, other: corpus.randomElement(using: &random)!))
                }
            }
            try await importRound(lines, checkRules: round % 2 == 0, into: &counts)
            done += n
            round += 1
        }
        return counts
    }

    @Test("Found by this fuzzer: an id with a space for a digit was accepted (Foundation's UUID parser on Linux takes it)")
    func uuidWithASpace() throws {
        for id in ["000 0000-0000-4000-8000-000000000001", "00000000-0000-4000-80 0-000000000903", "00000000-0000-4000-8000-00000000001", "{00000000-0000-4000-8000-000000000001}"] {
            let line = JSONLinesImporterTests.registration.replacingOccurrences(of: "00000000-0000-4000-8000-000000000001", with: id)
            #expect(throws: EventFormatError.self) { try JSONEventLine.parse(bytes: Array(line.utf8)) }
            do { _ = try JSONEventLine.parse(bytes: Array(line.utf8)) } catch { #expect(error.code == .invalidField, "\(id): \(error)") }
        }
        #expect(throws: Never.self) { try JSONEventLine.parse(bytes: Array(JSONLinesImporterTests.registration.utf8)) }
    }

    @Test("Mutated lines: no crash, typed rejections, a rejected line appends nothing")
    func fuzzImport() async throws {
        let started = Date()
        let counts = try await Self.run(count: Mutator.size(default: 20_000), seed: Mutator.seed)
        #expect(counts.accepted > 0)
        #expect(counts.rejected > 0)
        print("fuzz json-lines-importer: \(counts.lines) lines, \(counts.accepted) accepted, \(counts.alreadyPresent) already present, \(counts.rejected) rejected, 0 crashes, \(String(format: "%.1f", Date().timeIntervalSince(started))) s, seed \(Mutator.seed)")
    }
}
