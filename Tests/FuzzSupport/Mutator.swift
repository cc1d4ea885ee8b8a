import Foundation

/// The seeded randomness and byte mutations the fuzz and torture harnesses share (the `FuzzSupport` target, a dependency of
/// every test target with a harness).
///
/// `TORTURE_SEED` and `TORTURE_SIZE` (set by `scripts/torture`) replace a harness's seed and its number of
/// inputs; without them each harness runs its short CI size from seed 1.
public struct Mutator: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    /// SplitMix64: fast, and the same sequence on every machine for a seed.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The seed: `TORTURE_SEED`, or 1.
    public static var seed: UInt64 { ProcessInfo.processInfo.environment["TORTURE_SEED"].flatMap { UInt64($0) } ?? 1 }

    /// The number of inputs: `TORTURE_SIZE`, or the harness's CI default.
    public static func size(default ci: Int) -> Int {
        ProcessInfo.processInfo.environment["TORTURE_SIZE"].flatMap { Int($0) }.map { max(1, $0) } ?? ci
    }

    /// Tokens that often break parsers, spliced in whole.
    public static let tokens: [[UInt8]] = [
        "\"", "\\", "{", "}", "[", "]", ",", ":", "null", "true", "-0", "1e999", "-1", "18446744073709551616",
        "\\u0000", "\\ud800", "\\udc00", "\\uffff", "\u{0}", "\"\":\"\"", "0.5", "9999-99-99", "\u{FEFF}", "\r",
        "\n", "\t", "é", "\u{301}",
    ].map { Array($0.utf8) } + [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80]]

    /// One to `rounds` random edits of `input`: bit flips, byte sets, inserts, deletions, duplicated or moved
    /// chunks, interesting integers, parser tokens, and a splice with `other`.
    public mutating func mutate(_ input: [UInt8], other: [UInt8] = [], rounds: Int = 4) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...rounds, using: &self) {
            let n = bytes.count
            switch Int.random(in: 0..<10, using: &self) {
            case 0 where n > 0:
                bytes[Int.random(in: 0..<n, using: &self)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &self)
            case 1 where n > 0:
                bytes[Int.random(in: 0..<n, using: &self)] = UInt8.random(in: 0...255, using: &self)
            case 2:
                bytes.insert(UInt8.random(in: 0...255, using: &self), at: Int.random(in: 0...n, using: &self))
            case 3 where n > 0:
                let at = Int.random(in: 0..<n, using: &self)
                bytes.removeSubrange(at..<min(n, at + Int.random(in: 1...8, using: &self)))
            case 4 where n > 1:
                let a = Int.random(in: 0..<n, using: &self), b = Int.random(in: a...min(n, a + 32), using: &self)
                bytes.insert(contentsOf: bytes[a..<b], at: Int.random(in: 0...n, using: &self))
            case 5 where n >= 4:
                let at = Int.random(in: 0...(n - 4), using: &self)
                let value: UInt32 = [0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x8000_0000].randomElement(using: &self)!
                withUnsafeBytes(of: value.littleEndian) { for i in 0..<4 { bytes[at + i] = $0[i] } }
            case 6:
                bytes.insert(contentsOf: Self.tokens.randomElement(using: &self)!, at: Int.random(in: 0...n, using: &self))
            case 7 where !other.isEmpty && n > 0:
                let cut = Int.random(in: 0...n, using: &self), from = Int.random(in: 0...other.count, using: &self)
                bytes = Array(bytes[..<cut]) + other[from...]
            case 8 where n > 0:
                bytes.removeLast(Int.random(in: 1...min(n, 16), using: &self))
            default:
                if n > 0 { bytes[Int.random(in: 0..<n, using: &self)] = [0x22, 0x5C, 0x7B, 0x7D, 0x30, 0x2C].randomElement(using: &self)! }
            }
        }
        return bytes
    }
}
