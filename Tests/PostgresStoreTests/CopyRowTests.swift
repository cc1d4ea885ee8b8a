import EventLog
import Foundation
import Testing
@testable import PostgresStore

@Suite("CopyRow and batch joining")
struct CopyRowTests {
    @Test("a COPY tuple splits into its fields; NULLs and short data are recognised")
    func parsesTuples() {
        var e = PGCopyEncoder(header: false)
        e.beginRow(fields: 3)
        e.int64(42)
        e.null()
        e.text("héllo")
        let bytes = e.finish(trailer: false)
        let fields = UnsafeMutableBufferPointer<Int>.allocate(capacity: 6)
        defer { fields.deallocate() }
        bytes.withUnsafeBytes { raw in
            let row = CopyRow.parse(raw, into: fields)
            #expect(row != nil)
            if let row {
                #expect(PGBinary.load(Int64.self, from: row.bytes(0, 0)) == 42)
                #expect(row.isNull(0, 1))
                #expect(String(decoding: row.bytes(0, 2), as: UTF8.self) == "héllo")
            }
            #expect(CopyRow.parse(UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 1)]), into: fields) == nil)
        }
        let wrongCount = UnsafeMutableBufferPointer<Int>.allocate(capacity: 8)
        defer { wrongCount.deallocate() }
        #expect(bytes.withUnsafeBytes { CopyRow.parse($0, into: wrongCount) } == nil)
    }

    @Test("joined batches keep every record and the second batch's continuation")
    func joins() {
        var a = EventBatchBuilder(), b = EventBatchBuilder()
        let s = Fixtures.stream("person-1")
        for p in 1...3 {
            a.append(RecordedEvent(position: LogPosition(p), stream: s, streamVersion: StreamVersion(p - 1), id: UUID(), type: "A",
                                   schemaVersion: 1, recordedTime: Fixtures.t0, effectiveTime: Fixtures.t0, payload: [1, 2],
                                   metadata: .none, hash: .genesis))
        }
        for p in 4...5 {
            b.append(RecordedEvent(position: LogPosition(p), stream: s, streamVersion: StreamVersion(p - 1), id: UUID(), type: "B",
                                   schemaVersion: 1, recordedTime: Fixtures.t0, effectiveTime: Fixtures.t0, payload: [3],
                                   metadata: .none, hash: .genesis))
        }
        let joined = PostgresEventStore.join(a.build(nextPosition: 4), b.build(nextPosition: 6))
        #expect(joined.events.map(\.position) == [1, 2, 3, 4, 5])
        #expect(joined.events.map(\.type) == ["A", "A", "A", "B", "B"])
        #expect(joined.nextPosition == 6)
    }
}
