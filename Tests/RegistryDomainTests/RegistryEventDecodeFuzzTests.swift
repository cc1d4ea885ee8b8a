import FuzzSupport
import EventLog
import Foundation
import Testing
@testable import RegistryDomain

/// The registry's record decoders fuzzed: each event type's canonical body, its payload mutated (lengths kept
/// consistent, so the payload readers get the bad bytes) or the whole body mutated, through
/// ``RegistryEvent/decode(_:)-(RecordView)``, ``StoredRegistryEvent/decode(_:)-(RecordView)`` and
/// ``PersonFact/decode(_:)``. No crash; errors are ``EventFormatError`` (the typed throws say so); where the fast
/// and the full fact decoders both read a record they agree. Long run: `scripts/torture`.
@Suite("Registry record decoder fuzzing")
struct RegistryEventDecodeFuzzTests {
    static func seeds() -> [[UInt8]] {
        Fixtures.everyEvent.enumerated().map { i, event in
            let proposed = event.proposed(effective: Fixtures.day, metadata: Fixtures.metadata)
            var body: [UInt8] = []
            RecordFormat.encode(proposed, stream: Fixtures.stream(for: event), position: LogPosition(i + 1), streamVersion: 0,
                                recordedTime: Fixtures.day, previousHash: .genesis, into: &body)
            return body
        }
    }

    /// The body with its payload replaced (payload length fixed up).
    static func withPayload(_ body: [UInt8], _ payload: [UInt8]) -> [UInt8] {
        body.withUnsafeBytes { raw in
            let view = RecordView(body: raw)
            let start = raw.count - view.payload.count
            var out = Array(raw[..<start]) + payload
            out.withUnsafeMutableBytes {
                $0.storeBytes(of: UInt32(payload.count).littleEndian, toByteOffset: RecordFormat.payloadLengthOffset, as: UInt32.self)
            }
            return out
        }
    }

    struct Counts { var inputs = 0, decoded = 0, refused = 0, bothFacts = 0 }

    static func decodeAll(_ body: [UInt8], into counts: inout Counts) {
        counts.inputs += 1
        body.withUnsafeBytes { raw in
            guard RecordFormat.isWellFormed(body: raw) else { counts.refused += 1; return }
            let view = RecordView(body: raw)
            do throws(EventFormatError) {
                _ = try RegistryEvent.decode(view)
                counts.decoded += 1
            } catch {
                #expect(!error.code.rawValue.isEmpty)
                counts.refused += 1
            }
            _ = try? StoredRegistryEvent.decode(view)
            _ = try? PersonFact.decode(view)
            if let fast = try? PersonFact.fastDecode(view), let slow = try? PersonFact.slowDecode(view) {
                counts.bothFacts += 1
                #expect(fast == slow, "fast and full fact decoders disagree on a \(view.type) record")
            }
        }
    }

    static func run(count: Int, seed: UInt64) -> Counts {
        var random = Mutator(seed: seed)
        let corpus = seeds()
        var counts = Counts()
        for i in 0..<count {
            let base = corpus.randomElement(using: &random)!
            if i % 3 == 2 {
                decodeAll(random.mutate(base, other: corpus.randomElement(using: &random)!), into: &counts)
            } else {
                let payload = base.withUnsafeBytes { Array(RecordView(body: $0).payload) }
                decodeAll(withPayload(base, random.mutate(payload, rounds: i % 3 == 0 ? 1 : 6)), into: &counts)
            }
        }
        return counts
    }

    @Test("Every event type's seed decodes")
    func seedsDecode() throws {
        for body in Self.seeds() {
            try body.withUnsafeBytes { raw in
                _ = try RegistryEvent.decode(RecordView(body: raw))
            }
        }
    }

    @Test("Mutated bodies and payloads: no crash, typed errors, fast and full fact decoders agree")
    func fuzzDecoders() {
        let started = Date()
        let counts = Self.run(count: Mutator.size(default: 20_000), seed: Mutator.seed)
        #expect(counts.decoded > 0)
        #expect(counts.refused > 0)
        print("fuzz registry-decoder: \(counts.inputs) inputs, \(counts.decoded) decoded, \(counts.refused) refused, \(counts.bothFacts) fast/full compared, 0 crashes, \(String(format: "%.1f", Date().timeIntervalSince(started))) s, seed \(Mutator.seed)")
    }
}
