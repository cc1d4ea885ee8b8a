import EventLog
import Foundation
import RegistryDomain
import Testing
@testable import PostgresStore

/// Two imports into one PostgreSQL log at once (two `registry import` processes: two stores on one schema),
/// their batches interleaving in the log.
@Suite("Concurrent imports into one PostgreSQL log", .serialized)
struct ConcurrentImportTests {
    static func positions(_ ranges: [ClosedRange<LogPosition>]) -> Set<LogPosition> {
        Set(ranges.flatMap { Array($0) })
    }

    @Test("Each import reports exactly the positions of its own lines, never the other's")
    func eachReportsItsOwnPositions() async throws {
        let schema = TestStores.newSchema()
        let first = try await TestStores.open(schema: schema), second = try await TestStores.open(schema: schema)
        let linesA = FileToPostgresRestoreTests.lines(persons: 0..<60, audit: false)
        let linesB = FileToPostgresRestoreTests.lines(persons: 500..<560, audit: false)
        async let runA = JSONLinesImporter(store: first, batchSize: 4).importLines(linesA)
        async let runB = JSONLinesImporter(store: second, batchSize: 4).importLines(linesB)
        let (a, b) = try await (runA, runB)
        #expect(a.rejectedCount == 0 && b.rejectedCount == 0, "\(a.rejected) \(b.rejected)")

        var byID: [UUID: LogPosition] = [:]
        for try await batch in first.readAll() { for e in batch.events { byID[e.id] = e.position } }
        #expect(byID.count == linesA.count + linesB.count)
        func ids(_ lines: [String]) -> [UUID] {
            lines.map { UUID(uuidString: String($0.dropFirst(7).prefix(36)))! }
        }
        let ownA = Set(ids(linesA).compactMap { byID[$0] }), ownB = Set(ids(linesB).compactMap { byID[$0] })
        #expect(ownA.count == linesA.count && ownB.count == linesB.count)
        #expect(Self.positions(a.appendedRanges) == ownA)
        #expect(Self.positions(b.appendedRanges) == ownB)
        #expect(Self.positions(a.appendedRanges).isDisjoint(with: Self.positions(b.appendedRanges)))
        // The imports did interleave (batches of 4 lines from two writers), so one lowest-to-highest range
        // would have claimed the other's records.
        let spanA = a.appendedRanges.first!.lowerBound...a.appendedRanges.last!.upperBound
        let spanB = b.appendedRanges.first!.lowerBound...b.appendedRanges.last!.upperBound
        #expect(spanA.overlaps(spanB), "the two imports ran one after the other: \(spanA) and \(spanB)")
        try await first.close()
        try await second.close()
        try TestStores.drop(schema)
    }
}
