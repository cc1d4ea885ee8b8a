import FuzzSupport
import EventLog
import Foundation
import Testing

/// The record decoder fuzzed: random and mutated canonical bodies through ``RecordFormat/isWellFormed(body:)``,
/// ``RecordView`` and ``RecordFormat/decodeMetadata(_:)``. Nothing may crash; a body the check accepts must read
/// whole (every field inside the body), and a body it refuses is never read. Long run: `scripts/torture`.
@Suite("Record decoder fuzzing")
struct RecordFormatFuzzTests {
    /// Canonical bodies with and without correlation ids, headers, payloads.
    static func seeds() -> [[UInt8]] {
        let metadatas = [
            EventMetadata(),
            EventMetadata(correlationID: UUID(), causationID: UUID(), actor: "operator:ops-1", headers: ["device": "APP-7731", "a": ""]),
            EventMetadata(correlationID: nil, causationID: UUID(), actor: String(repeating: "x", count: 255), headers: [:]),
        ]
        var bodies: [[UInt8]] = []
        for (i, metadata) in metadatas.enumerated() {
            for payload in [[], Array("payload \(i)".utf8), [UInt8](repeating: 0xAB, count: 300)] {
                let event = ProposedEvent(type: "Fuzzed\(i)", schemaVersion: UInt16(i + 1),
                                          effectiveTime: Timestamp(microsecondsSinceEpoch: Int64(i) * 1_000_000),
                                          payload: payload, metadata: metadata)
                var body: [UInt8] = []
                RecordFormat.encode(event, stream: try! StreamID("fuzz-\(i)"), position: LogPosition(i + 1), streamVersion: 0,
                                    recordedTime: Timestamp(microsecondsSinceEpoch: 7), previousHash: .genesis, into: &body)
                bodies.append(body)
            }
        }
        return bodies
    }

    /// Reads everything a view offers; returns how many bytes the fields cover (for a check that they fit).
    static func readWhole(_ body: [UInt8]) -> Bool {
        body.withUnsafeBytes { raw in
            guard RecordFormat.isWellFormed(body: raw) else { return false }
            let view = RecordView(body: raw)
            let covered = RecordFormat.fixedSize + view.streamBytes.count + view.typeBytes.count + view.metadataBytes.count + view.payload.count
            precondition(covered == raw.count, "a well-formed body's fields cover \(covered) of \(raw.count) bytes")
            _ = RecordFormat.decodeMetadata(view.metadataBytes)
            let event = view.materialize()
            precondition(event.payload.count == view.payload.count)
            _ = (view.position, view.streamVersion, view.recordedTime, view.effectiveTime, view.id, view.hash, view.type, view.stream)
            return true
        }
    }

    /// Runs `count` inputs from `seed`; returns (inputs, well-formed ones).
    static func run(count: Int, seed: UInt64) -> (inputs: Int, wellFormed: Int) {
        var random = Mutator(seed: seed)
        let corpus = seeds()
        var wellFormed = 0
        for i in 0..<count {
            let base = corpus.randomElement(using: &random)!
            var input: [UInt8]
            switch i % 4 {
            case 0:
                // Pure noise of a body's size.
                input = (0..<Int.random(in: 0...400, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            case 1:
                // Metadata mutated with the lengths fixed up, so the body stays well formed and the metadata
                // decoder is what gets the bad bytes.
                input = base
                input.withUnsafeBytes { raw in
                    let view = RecordView(body: raw)
                    let metaStart = RecordFormat.fixedSize + view.streamBytes.count + view.typeBytes.count
                    let meta = Array(raw[metaStart..<(metaStart + view.metadataBytes.count)])
                    let mutated = random.mutate(meta)
                    var rebuilt = Array(raw[..<metaStart]) + mutated + Array(raw[(metaStart + meta.count)...])
                    rebuilt.withUnsafeMutableBytes {
                        $0.storeBytes(of: UInt32(mutated.count).littleEndian, toByteOffset: RecordFormat.metadataLengthOffset, as: UInt32.self)
                    }
                    input = rebuilt
                }
            default:
                input = random.mutate(base, other: corpus.randomElement(using: &random)!)
            }
            if readWhole(input) { wellFormed += 1 }
        }
        return (count, wellFormed)
    }

    @Test("Random and mutated bodies: no crash, a well-formed body reads whole, a malformed one is refused")
    func fuzzBodies() {
        let count = Mutator.size(default: 20_000)
        let started = Date()
        let result = Self.run(count: count, seed: Mutator.seed)
        // Both sides are exercised: some inputs pass the check (and are read whole), most do not.
        #expect(result.wellFormed > 0)
        #expect(result.wellFormed < result.inputs)
        print("fuzz record-decoder: \(result.inputs) inputs, \(result.wellFormed) well-formed, 0 crashes, \(String(format: "%.1f", Date().timeIntervalSince(started))) s, seed \(Mutator.seed)")
    }

    @Test("Every canonical seed is well formed and its metadata decodes back")
    func seedsAreWellFormed() {
        for body in Self.seeds() {
            #expect(Self.readWhole(body))
            body.withUnsafeBytes { raw in
                #expect(RecordFormat.decodeMetadata(RecordView(body: raw).metadataBytes) != nil)
            }
        }
    }
}
