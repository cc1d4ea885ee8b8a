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
                lines.append(Int.random(in: 0..<8, using: &random) == 0 ? base : random.mutate(base, other: corpus.randomElement(using: &random)!))
            }
            try await importRound(lines, checkRules: round % 2 == 0, into: &counts)
            done += n
            round += 1
        }
        return counts
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
