import CSHA256
import Crypto
import EventLog
import Testing

@Suite("Record chain hash")
struct RecordHashTests {
    /// SHA-256 of the parts by swift-crypto: the reference the C code is checked against.
    static func reference(_ parts: [[UInt8]]) -> [UInt8] {
        var hasher = SHA256()
        for p in parts { hasher.update(data: p) }
        return Array(hasher.finalize())
    }

    static func digest3(_ a: [UInt8], _ b: [UInt8], _ c: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in
                c.withUnsafeBytes { c in
                    out.withUnsafeMutableBytes { o in
                        csha256_digest3(a.baseAddress, a.count, b.baseAddress, b.count, c.baseAddress, c.count, o.baseAddress)
                    }
                }
            }
        }
        return out
    }

    @Test("FIPS 180-4 vectors, with and without the SHA instructions")
    func knownVectors() {
        defer { csha256_allow_hardware(1) }
        for allow: Int32 in [1, 0] {
            csha256_allow_hardware(allow)
            let abc = Self.digest3(Array("abc".utf8), [], [])
            #expect(abc.map { String(format: "%02x", $0) }.joined() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            let empty = Self.digest3([], [], [])
            #expect(empty.map { String(format: "%02x", $0) }.joined() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
            let two = Self.digest3(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8), [], [])
            #expect(two.map { String(format: "%02x", $0) }.joined() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        }
    }

    @Test("Every length and split around the block and padding boundaries agrees with swift-crypto, both code paths")
    func agreesWithSwiftCrypto() {
        defer { csha256_allow_hardware(1) }
        var rng = SystemRandomNumberGenerator()
        for allow: Int32 in [1, 0] {
            csha256_allow_hardware(allow)
            for length in Array(0...200) + [255, 256, 257, 511, 512, 1000, 4096, 10_000] {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let i = Int.random(in: 0...length, using: &rng), j = Int.random(in: i...length, using: &rng)
                let parts = [Array(bytes[..<i]), Array(bytes[i..<j]), Array(bytes[j...])]
                #expect(Self.digest3(parts[0], parts[1], parts[2]) == Self.reference(parts), "length \(length), split \(i), \(j)")
            }
        }
    }

    @Test("chaining hashes the previous hash, then the body without its hash field")
    func chaining() {
        var rng = SystemRandomNumberGenerator()
        for length in [RecordFormat.hashOffset + 32, 100, 277, 1000] {
            let body = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let previous = RecordHash((0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })!
            let chained = body.withUnsafeBytes { RecordHash.chaining(previous, body: $0) }
            let expected = Self.reference([previous.bytes, Array(body[..<RecordFormat.hashOffset]), Array(body[(RecordFormat.hashOffset + 32)...])])
            #expect(chained.bytes == expected, "length \(length)")
        }
    }
}

extension RecordHashTests {
    @Test("Two records hashed at once equal each hashed alone, at every pair of lengths around the block boundaries")
    func pairs() {
        var rng = SystemRandomNumberGenerator()
        defer { csha256_allow_hardware(1) }
        for allow: Int32 in [1, 0] {
            csha256_allow_hardware(allow)
            for (n1, n2) in [(80, 80), (80, 200), (183, 184), (247, 120), (300, 5000), (5000, 90), (119, 120)] {
                let a = (0..<n1).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let b = (0..<n2).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let p1 = RecordHash((0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })!
                let p2 = RecordHash((0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })!
                let pair = a.withUnsafeBytes { a in b.withUnsafeBytes { b in RecordHash.chaining(p1, body: a, p2, body: b) } }
                #expect(pair.0 == a.withUnsafeBytes { RecordHash.chaining(p1, body: $0) }, "\(n1), \(n2)")
                #expect(pair.1 == b.withUnsafeBytes { RecordHash.chaining(p2, body: $0) }, "\(n1), \(n2)")
            }
        }
    }
}
