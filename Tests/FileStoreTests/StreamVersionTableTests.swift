import EventLog
import FuzzSupport
import Testing
@testable import FileStore

@Suite("Stream version table")
struct StreamVersionTableTests {
    @Test("Sets, updates and removals agree with a dictionary through growth, clashing slots and the all-zero digest")
    func agreesWithADictionary() {
        var random = Mutator(seed: 0x7AB1E)
        var table = StreamVersionTable()
        var reference: [StreamVersionTable.Key: StreamVersion] = [:]
        // Keys that share their slot bits (same `b`), so that removals shift runs back; and the all-zero digest.
        let keys = (0..<3000).map { i in
            i % 3 == 0 ? StreamVersionTable.Key(a: UInt64(i), b: 42) : StreamVersionTable.Key(a: random.next(), b: random.next())
        } + [StreamVersionTable.Key(a: 0, b: 0)]
        for step in 0..<40_000 {
            let key = keys[Int.random(in: 0..<keys.count, using: &random)]
            if step % 5 == 4 {
                table[key] = nil
                reference[key] = nil
            } else {
                let version = StreamVersion(Int.random(in: 0..<1000, using: &random))
                table[key] = version
                reference[key] = version
            }
        }
        #expect(table.count == reference.count)
        for key in keys { #expect(table[key] == reference[key]) }
        var listed: [StreamVersionTable.Key: StreamVersion] = [:]
        table.forEach { listed[$0] = $1 }
        #expect(listed.count == reference.count)
    }
}
