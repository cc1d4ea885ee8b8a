import EventLog
@testable import FileStore
import Foundation
import Testing

@Suite("Event id index of the writer")
struct EventIDIndexTests {
    static func uuid(_ a: UInt64, _ b: UInt64) -> UUID {
        withUnsafeBytes(of: (a, b)) { UUID(uuid: $0.loadUnaligned(as: uuid_t.self)) }
    }

    @Test("Active ids are found at their positions, fingerprint clashes and repeated ids included; failed stages are forgotten")
    func activeSegment() {
        var index = EventIDIndex(log2Bits: 16)
        let sealedID = UUID()
        index.insert(sealedID, position: 1, inActiveSegment: false)
        let ids = (0..<100).map { _ in UUID() }
        for (i, id) in ids.enumerated() { index.insert(id, position: LogPosition(11 + i)) }
        for (i, id) in ids.enumerated() { #expect(index.activePositions(of: id) == [LogPosition(11 + i)]) }
        #expect(index.mayContain(sealedID))
        #expect(index.activePositions(of: sealedID).isEmpty)
        // Two different ids with the same 64-bit fingerprint (a ^ b·k): both found, each only at its own place.
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        let first = Self.uuid(0x1234, 7), second = Self.uuid(0x1234 ^ (7 &* k) ^ (9 &* k), 9)
        index.insert(first, position: 111)
        index.insert(second, position: 112)
        index.insert(first, position: 113)  // an older log may hold an id twice
        #expect(index.activePositions(of: first) == [111, 113])
        #expect(index.activePositions(of: second) == [112])
        // A failed write takes its staged ids back.
        index.dropStaged(from: 112)
        #expect(index.activePositions(of: first) == [111])
        #expect(index.activePositions(of: second).isEmpty)
        #expect(index.sealedIDs(firstPosition: 11, count: 101) == ids + [first])
        #expect(index.sealedIDs(firstPosition: 12, count: 101) == nil)
        index.sealActive()
        #expect(index.activePositions(of: ids[0]).isEmpty)
        #expect(index.mayContain(ids[0]))
        index.insert(second, position: 200)
        #expect(index.activePositions(of: second) == [200])
    }

    @Test("Ids appended without a look-up (an open's scan) are all found at the first look-up, and after it as they come")
    func tableBuiltAtFirstLookUp() {
        var index = EventIDIndex(log2Bits: 16)
        let ids = (0..<5_000).map { _ in UUID() }
        for (i, id) in ids.enumerated() { index.insert(id, position: LogPosition(1_001 + i), inFilter: true) }
        #expect(!index.mayContain(ids[0]), "inFilter: only the active table learns them")
        #expect(index.activePositions(of: UUID()).isEmpty)
        for (i, id) in ids.enumerated() { #expect(index.activePositions(of: id) == [LogPosition(1_001 + i)]) }
        // A repeated id appended after the table was built, then more without a look-up.
        index.insert(ids[7], position: 6_001)
        let more = (0..<300).map { _ in UUID() }
        for (i, id) in more.enumerated() { index.insert(id, position: LogPosition(6_002 + i)) }
        #expect(index.activePositions(of: ids[7]) == [1_008, 6_001])
        for (i, id) in more.enumerated() { #expect(index.activePositions(of: id) == [LogPosition(6_002 + i)]) }
        #expect(index.sealedIDs(firstPosition: 1_001, count: 5_301) == ids + [ids[7]] + more)
    }
}
