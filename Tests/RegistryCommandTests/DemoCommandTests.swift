import Foundation
import Testing

@Suite("registry demo")
struct DemoCommandTests {
    @Test func buildsReplaysAndPrintsTheViews() throws {
        let dir = try TemporaryDirectory()
        let result = try dir.registry("demo", "--store", "city", "--persons", "300")
        #expect(result.status == 0, "\(result)")
        let out = result.stdout
        #expect(out.hasPrefix("Built a synthetic city of 300 persons: 37 department feeds compared (city/feeds), "), "\(result)")
        // Feeds in: the comparison runs, one line per feed, with nothing rejected.
        let runs = result.lines.filter { $0.range(of: #"^    [1-4]  2024-"#, options: .regularExpression) != nil }
        #expect(runs.count == 37)
        #expect(runs.first?.contains("police-population") == true && runs.last?.contains("social-insurance") == true)
        #expect(runs.allSatisfy { $0.split(separator: " ").map(String.init)[9] == "0" }, "a feed row was rejected")
        #expect(runs.contains { $0.contains(" education ") && $0.split(separator: " ").map(String.init)[10] != "0" }, "no student graduated")
        #expect(result.lines.contains { $0.hasPrefix("Survey: ") && $0.contains(" tasks dispatched to the street teams") })
        let replayed = result.lines.first { $0.hasPrefix("Replayed ") }
        #expect(replayed != nil)
        for title in ["Coverage by county as of 2024-12-31 (residence basis)", "Survey progress by county",
                      "Dynamic-management ledger: ", "Interrupted contributors: ", "Employer staff coverage by county",
                      "Employer screening progress by county", "employeePension: contributors on 2024-12-31 against the plan",
                      "Next (the ID is a synthetic person's):"] {
            #expect(out.contains(title), "missing \(title)")
        }
        // Views are masked: a full citizen ID appears only in the suggested commands.
        let full = try Regex(#"\d{17}[\dX]"#)
        for line in result.lines where !line.hasPrefix("  registry ") {
            #expect(line.firstMatch(of: full) == nil, "unmasked ID in: \(line)")
        }
        // The suggested history command works on the demo store.
        let suggestion = try #require(result.lines.first { $0.hasPrefix("  registry history ") })
        let history = try dir.registry(arguments: suggestion.split(separator: " ").dropFirst().map(String.init))
        #expect(history.status == 0)
        #expect(history.stdout.hasPrefix("History of 12"))
        // The same city again: the previous demo store is wiped and rebuilt.
        let again = try dir.registry("demo", "--store", "city", "--persons", "300")
        #expect(again.status == 0)
        let built = { (r: RegistryTool.Result) in r.lines.first?.components(separatedBy: " in ").first }
        #expect(built(again) == built(result), "the same seed and size give the same city")
        #expect(try dir.registry("verify", "--store", "city").status == 0)
        // Every fact the feeds, the dispatch and the surveys recorded passes the registry rules.
        let exported = try dir.registry("export", "--store", "city", "--output", "city.jsonl")
        #expect(exported.status == 0, "\(exported)")
        let imported = try dir.registry("import", "--store", "copy", "city.jsonl")
        #expect(imported.status == 0 && imported.stdout.contains(" 0 rejected"), "\(imported)")
    }

    @Test func leavesOtherDirectoriesAlone() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("demo", "--store", "store", "--persons", "10")
        #expect(result.status == 73, "EX_CANTCREAT")
        #expect(result.stderr == "registry: error: the directory is not empty and is not a previous demo store; nothing was changed (store); give --store a new directory (the demo wipes only its own stores)\n")
        #expect(try dir.registry("verify", "--store", "store").stdout.hasPrefix("intact up to 9 "))
    }
}
