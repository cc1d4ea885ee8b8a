import EventLog
import Testing
@testable import RegistryDomain

@Suite struct ImportReportTests {
    static func report(accepting positions: [LogPosition]) -> ImportReport {
        var report = ImportReport(keepsEveryLine: false)
        for (n, p) in positions.enumerated() { report.record(.init(number: n + 1, outcome: .accepted(position: p))) }
        return report
    }

    @Test("Appended positions are exactly the accepted ones: another writer's positions between them are not claimed")
    func exactRanges() {
        // Two imports interleaving by batches: this one got 1...3, then 7...9 (another writer took 4...6).
        #expect(Self.report(accepting: [1, 2, 3, 7, 8, 9]).appendedRanges == [1...3, 7...9])
        #expect(Self.report(accepting: [5]).appendedRanges == [5...5])
        #expect(Self.report(accepting: []).appendedRanges.isEmpty)
    }

    @Test("Positions reported out of order (a batch sent in rounds) are merged into sorted, disjoint ranges")
    func outOfOrder() {
        #expect(Self.report(accepting: [10, 12, 11, 3, 1, 2, 20, 14]).appendedRanges == [1...3, 10...12, 14...14, 20...20])
        #expect(Self.report(accepting: [4, 2, 3, 1]).appendedRanges == [1...4])
        #expect(Self.report(accepting: [9, 7, 8, 8]).appendedRanges == [7...9])
        // Already-present and rejected lines add no positions.
        var report = Self.report(accepting: [1, 2])
        report.record(.init(number: 3, outcome: .alreadyPresent(position: 3)))
        report.record(.init(number: 4, outcome: .rejected(code: "x", reason: "x")))
        #expect(report.appendedRanges == [1...2])
    }
}
