import EventLog
import Foundation
import FuzzSupport
@testable import RegistryProjections
import Testing

/// The checkpoint decoder on bytes it did not write: cut short at every length, a byte flipped (with the CRC left
/// as it was: always refused; and with the CRC made to match again, so the projection's own reader meets the
/// change: never a crash), bytes appended after the CRC (refused as damaged), random edits.
@Suite("Checkpoint file: the decoder on damaged bytes")
struct CheckpointFileTests {
    /// The views of the small city log and their checkpoint bytes.
    static func saved() async throws -> (fold: CutoffStamped<RegistryFold>, bytes: [UInt8]) {
        let log = try await CityLog()
        let fold = try await ProjectionEngine.rebuild(CutoffStamped(RegistryFold()), from: log.store)
        let anchor = try await CheckpointAnchor.of(log.store, at: fold.position)
        let bytes = try CheckpointFile.withEncoded(fold, anchor: anchor) { pieces in pieces.flatMap { Array($0) } }
        return (fold, bytes)
    }

    static func decode(_ bytes: [UInt8]) -> Result<(projection: CutoffStamped<RegistryFold>, anchor: CheckpointAnchor), CheckpointFile.Refusal> {
        bytes.withUnsafeBytes { CheckpointFile.decoded(CutoffStamped<RegistryFold>.self, $0, settings: .standard) }
    }

    /// The CRC-32C of the body made to match it again, so a change reaches the projection's reader.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 20 else { return bytes }
        var out = bytes
        let crc = CRC32C.checksum(Array(bytes[16..<(bytes.count - 4)])).littleEndian
        withUnsafeBytes(of: crc) { for i in 0..<4 { out[bytes.count - 4 + i] = $0[i] } }
        return out
    }

    @Test("bytes after the CRC: refused as damaged, by both decoders and by load, with the note other damage gives")
    func trailingBytesRefused() async throws {
        let (fold, bytes) = try await Self.saved()
        let whole = try Self.decode(bytes).get()
        #expect(whole.projection == fold)
        for tail in [[0], [0, 0, 0, 0], Array(bytes.suffix(4)), Array(repeating: 0xFF, count: 100), bytes] as [[UInt8]] {
            guard case .failure(let refusal) = Self.decode(bytes + tail) else {
                Issue.record("\(tail.count) bytes after the CRC were accepted")
                continue
            }
            #expect(refusal.kind == .damaged, "\(refusal)")
            #expect(refusal.reason == "the checkpoint is damaged (\(tail.count) bytes follow its CRC)")
            #expect((bytes + tail).withUnsafeBytes { CheckpointFile.decode(CutoffStamped<RegistryFold>.self, $0, settings: .standard) } == nil)
        }
        // A file with bytes after the CRC: load refuses it, typed, and never reads the log.
        let log = try await CityLog()
        let path = NSTemporaryDirectory() + "checkpoint-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes + [0x0A]).write(to: URL(fileURLWithPath: path))
        let loaded = await CheckpointFile.load(CutoffStamped<RegistryFold>.self, from: path, settings: .standard, for: log.store)
        guard case .failure(let refusal) = loaded else { Issue.record("a file with a byte after its CRC was used"); return }
        #expect(refusal.kind == .damaged && refusal.reason.hasPrefix("the checkpoint is damaged"), "\(refusal)")
    }

    @Test("cut short at every length, a byte flipped at sampled offsets (CRC as it was, and resealed), random edits: never a crash, refused or equal")
    func fuzzedDecoder() async throws {
        let (fold, bytes) = try await Self.saved()
        // Every shorter length: each refused as damaged (none is a whole checkpoint).
        bytes.withUnsafeBytes { raw in
            for length in 0..<raw.count {
                let cut = UnsafeRawBufferPointer(rebasing: raw[..<length])
                guard case .failure(let refusal) = CheckpointFile.decoded(CutoffStamped<RegistryFold>.self, cut, settings: .standard) else {
                    Issue.record("cut to \(length) of \(raw.count) bytes, accepted")
                    continue
                }
                #expect(refusal.kind == .damaged, "length \(length): \(refusal)")
            }
        }
        var random = Mutator(seed: Mutator.seed)
        let offsets = Array(0..<min(bytes.count, 128)) + (0..<Mutator.size(default: 400)).map { _ in Int.random(in: 0..<bytes.count, using: &random) }
        var refusedResealed = 0
        for offset in offsets {
            var flipped = bytes
            flipped[offset] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            // The CRC as it was: the change is caught before the projection reads anything.
            switch Self.decode(flipped) {
            case .success: Issue.record("a flipped bit at \(offset) passed the CRC")
            case .failure(let refusal): #expect(refusal.kind == .damaged || (offset < 8 && refusal.kind == .otherFormat), "offset \(offset): \(refusal)")
            }
            // The CRC made to match: the projection's reader sees the change and must not crash on it; a moved
            // position is refused (the state and its anchor disagree), a changed anchor hash leaves the same views.
            switch Self.decode(Self.resealed(flipped)) {
            case .success(let decoded):
                #expect(!(16..<24).contains(offset), "offset \(offset): a position the state does not have accepted")
                if (24..<88).contains(offset) { #expect(decoded.projection == fold && decoded.anchor.position == fold.position) }
            case .failure: refusedResealed += 1
            }
        }
        #expect(refusedResealed > 0, "some resealed change reached the checks after the CRC and was refused")
        // Random edits of every kind, resealed or not, with bytes after the CRC now and then.
        for _ in 0..<Mutator.size(default: 300) {
            var edited = random.mutate(bytes, rounds: 3)
            if Bool.random(using: &random) { edited = Self.resealed(edited) }
            if case .success = Self.decode(edited) {
                #expect(edited.count == bytes.count, "a checkpoint of another length accepted")
            }
        }
    }
}
