@testable import FileStore
import Testing

@Suite("Fingerprint table")
struct FingerprintTableTests {
    @Test("Every key inserted is found with its first value through growth; absent keys are not; 0 is a key too")
    func insertAndFind() {
        var table = FingerprintTable()
        var rng = SystemRandomNumberGenerator()
        let keys = (0..<50_000).map { _ in rng.next() as UInt64 | 2 } + [0, .max]
        for (i, k) in keys.enumerated() { #expect(table.insertIfAbsent(k, UInt32(i)) == nil) }
        #expect(table.count == keys.count)
        for (i, k) in keys.enumerated() where table.find(k) != UInt32(i) { Issue.record("key \(i) lost") }
        // A key present keeps its value; 0 and 1 share a stored slot, so 1 is reported present (the owner
        // compares whole ids, and keeps such clashes apart).
        #expect(table.insertIfAbsent(keys[7], 99) == 7)
        #expect(table.insertIfAbsent(1, 98) == 50_000)
        #expect(table.find(keys[7]) == 7)
        let absent = (0..<10_000).filter { _ in table.find(rng.next() as UInt64) != nil }.count
        #expect(absent == 0)
        table.removeAll()
        #expect(table.count == 0)
        #expect(table.find(keys[0]) == nil)
        #expect(table.insertIfAbsent(keys[0], 5) == nil)
        #expect(table.find(keys[0]) == 5)
    }
}
