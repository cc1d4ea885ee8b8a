import Foundation
import RegistryComparison
import RegistryDomain
import Testing

@Suite struct FeedKindTests {
    /// docs/FEEDS.md lists every column of every feed kind, with whether it is required, and nothing else.
    @Test func theFeedDocumentListsEveryColumn() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/FEEDS.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        for kind in FeedKind.allCases {
            let parts = text.components(separatedBy: "### `\(kind.rawValue)`")
            try #require(parts.count == 2, "docs/FEEDS.md has no section for \(kind)")
            let section = parts[1].components(separatedBy: "### ").first!
            let rows = section.split(separator: "\n").filter { $0.hasPrefix("| `") }
            #expect(rows.count == kind.columns.count, "\(kind)")
            for column in kind.columns {
                #expect(rows.contains { $0.hasPrefix("| `\(column.name)` | \(column.required ? "yes" : "no") |") }, "\(kind): \(column.name)")
            }
        }
    }

    @Test func kindsAreFoundByNameAndAlias() {
        #expect(FeedKind(name: "police") == .policePopulation)
        #expect(FeedKind(name: "PRISON") == .prison)
        #expect(FeedKind(name: "housing-fund") == .providentFund)
        #expect(FeedKind(name: "weather") == nil)
        #expect(FeedKind.allCases.allSatisfy { FeedKind(name: $0.rawValue) == $0 })
    }

    @Test func everyTrackedFindingIsFoundFromItsPair() {
        for f in TrackedFinding.allCases {
            #expect(TrackedFinding(department: f.department, finding: f.finding) == f)
        }
        #expect(TrackedFinding(department: .survey, finding: .resident) == nil)
    }
}
