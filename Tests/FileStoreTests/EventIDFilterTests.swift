@testable import FileStore
import Foundation
import Testing

@Suite("Event id filter")
struct EventIDFilterTests {
    @Test("Every inserted id is found; few others are")
    func noFalseNegatives() {
        var filter = EventIDFilter(log2Bits: 20)  // 128 KiB
        var rng = SystemRandomNumberGenerator()
        func id() -> UUID { withUnsafeBytes(of: (rng.next() as UInt64, rng.next() as UInt64)) { UUID(uuid: $0.loadUnaligned(as: uuid_t.self)) } }
        let inserted = (0..<70_000).map { _ in id() }
        for i in inserted { filter.insert(i) }
        #expect(inserted.allSatisfy { filter.mayContain($0) })
        let others = (0..<20_000).filter { _ in filter.mayContain(id()) }.count
        #expect(others < 1_000, "\(others) false positives in 20,000")  // ~1% expected at this load
    }
}
