@testable import FileStore
import Testing

@Suite("Record-number table")
struct RecordNumberTableTests {
    @Test("Every key inserted is found with its first value through growth; absent keys are not; 0 and max are keys too")
    func insertAndFind() {
        var table = RecordNumberTable()
        var rng = SystemRandomNumberGenerator()
        let keys = (0..<50_000).map { _ in rng.next() as UInt64 | 2 } + [0, 1, .max]
        for (i, k) in keys.enumerated() { #expect(table.insertIfAbsent(k, UInt32(i)) == nil) }
        #expect(table.count == keys.count)
        for (i, k) in keys.enumerated() where table[k] != UInt32(i) { Issue.record("key \(i) lost") }
        // A key present keeps its value.
        #expect(table.insertIfAbsent(keys[7], 99) == 7)
        #expect(table.insertIfAbsent(0, 98) == 50_000)
        #expect(table[keys[7]] == 7)
        let absent = (0..<10_000).filter { _ in table[rng.next() as UInt64 | 2] != nil }.count
        #expect(absent == 0)
        table.removeAll()
        #expect(table.count == 0)
        #expect(table[keys[0]] == nil)
        #expect(table.insertIfAbsent(keys[0], 5) == nil)
        #expect(table[keys[0]] == 5)
    }

    @Test("updateValue replaces and reports the value it replaced; forEach visits every key once with its latest value")
    func updateAndVisit() {
        var table = RecordNumberTable()
        var latest: [UInt64: UInt32] = [:]
        var rng = SystemRandomNumberGenerator()
        for record in 0..<40_000 {
            let key = UInt64.random(in: 0..<5_000, using: &rng)  // streams hit many times
            #expect(table.updateValue(UInt32(record), forKey: key) == latest[key])
            latest[key] = UInt32(record)
        }
        #expect(table.count == latest.count)
        var seen: [UInt64: UInt32] = [:]
        table.forEach { key, value in
            #expect(seen[key] == nil, "key visited twice")
            seen[key] = value
        }
        #expect(seen == latest)
    }
}
