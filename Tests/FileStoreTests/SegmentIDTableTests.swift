import EventLog
@testable import FileStore
import Foundation
import Testing

@Suite("Event id tables of sealed segments")
struct SegmentIDTableTests {
    static func event(_ i: Int) -> ProposedEvent {
        ProposedEvent(type: "Counted", effectiveTime: Timestamp(microsecondsSinceEpoch: Int64(i)),
                      payload: Array("event number \(i) ".utf8) + [UInt8](repeating: 7, count: 150), metadata: EventMetadata(actor: "test"))
    }

    @Test("A table finds every id of its segment by record number, and none other; a damaged file is not believed")
    func roundTrip() throws {
        let dir = TemporaryDirectory("ids")
        defer { dir.remove() }
        // Ids sharing their first half, so that ordering within the low half counts; more than one block.
        var ids = (0..<1000).map { _ in UUID() }
        for i in stride(from: 0, to: 1000, by: 7) {
            var raw = ids[i].uuid
            raw.0 = 0x42; raw.1 = 0; raw.2 = 0; raw.3 = 0; raw.4 = 0; raw.5 = 0; raw.6 = 0; raw.7 = 0
            ids[i] = UUID(uuid: raw)
        }
        ids[999] = ids[500]  // an older log may hold an id twice
        try SegmentIDTable.write(ids: ids, segment: 3, firstPosition: 201, directory: dir.path)
        let table = try #require(SegmentIDTable.load(directory: dir.path, segment: 3, firstPosition: 201, recordCount: 1000))
        for (r, id) in ids.enumerated() where r != 500 && r != 999 {
            #expect(try table.records(of: id) == [UInt32(r)])
        }
        #expect(try table.records(of: ids[500]) == [500, 999])
        for _ in 0..<200 { #expect(try table.records(of: UUID()).isEmpty) }
        // Another segment, another first position or count: not this table.
        #expect(SegmentIDTable.load(directory: dir.path, segment: 4, firstPosition: 201, recordCount: 1000) == nil)
        #expect(SegmentIDTable.load(directory: dir.path, segment: 3, firstPosition: 202, recordCount: 1000) == nil)
        #expect(SegmentIDTable.load(directory: dir.path, segment: 3, firstPosition: 201, recordCount: 999) == nil)
        // One flipped byte anywhere: not believed.
        let path = dir.file(SegmentIDTable.fileName(3))
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        for offset in [10, 40, 64, 64 + 20 * 500 + 3, original.count - 1] {
            var damaged = original
            damaged[offset] ^= 0x10
            try damaged.write(to: URL(fileURLWithPath: path))
            #expect(SegmentIDTable.load(directory: dir.path, segment: 3, firstPosition: 201, recordCount: 1000) == nil, "offset \(offset)")
        }
    }

    @Test("Ids in sealed segments are found through missing, damaged and forged tables, and the tables are rebuilt")
    func sealedSegments() async throws {
        let dir = TemporaryDirectory("ids-store")
        defer { dir.remove() }
        let options = FileEventStore.Options(segmentSize: 64 << 10)
        var store = try FileEventStore(directory: dir.path, options: options)
        var written: [ProposedEvent] = []
        for i in 0..<1500 {
            let e = Self.event(i)
            written.append(e)
            try await store.append([e], to: try StreamID("s-\(i % 5)"))
        }
        let sealed = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".ids") }.sorted()
        #expect(sealed.count >= 3, "\(sealed)")
        try await store.close()

        // The first table is lost, the second damaged, the third forged consistently (valid CRCs, ids moved to
        // other records): each must still find its ids.
        try FileManager.default.removeItem(atPath: dir.file(sealed[0]))
        var damaged = try Data(contentsOf: URL(fileURLWithPath: dir.file(sealed[1])))
        damaged[100] ^= 0xFF
        try damaged.write(to: URL(fileURLWithPath: dir.file(sealed[1])))
        let forgedSegment = UInt64(sealed[2].prefix(8))!
        let original = try Data(contentsOf: URL(fileURLWithPath: dir.file(sealed[2])))
        let count = Int(original.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 32, as: UInt64.self)) })
        let first = original.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 24, as: UInt64.self)) }
        let inForged = Array(written[Int(first - 1)..<(Int(first - 1) + count)])
        try SegmentIDTable.write(ids: inForged.map(\.id).reversed(), segment: forgedSegment, firstPosition: first, directory: dir.path)

        store = try FileEventStore(directory: dir.path, options: options)
        for probe in [written[0], written[Int(first - 1) + 1], written[Int(first - 1) + count / 2], written[1499]] {
            await #expect(throws: EventLogError.self) { try await store.append([probe], to: try StreamID("other-1")) }
            let again = try await store.append([probe], to: try StreamID("s-\(written.firstIndex(of: probe)! % 5)"))
            #expect(again.wasAlreadyAppended)
        }
        #expect(try await store.headPosition() == 1500)
        #expect(try await store.streamVersion(of: try StreamID("other-1")) == nil)
        // Rebuilt in place of the lost and the damaged one.
        #expect(FileManager.default.fileExists(atPath: dir.file(sealed[0])))
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.file(sealed[1]))) != damaged)
        try await store.close()
    }
}
