import Foundation
import Testing

@Suite("registry demo")
struct DemoCommandTests {
    @Test func buildsReplaysAndPrintsTheViews() throws {
        let dir = try TemporaryDirectory()
        let result = try dir.registry("demo", "--store", "city", "--persons", "300")
        #expect(result.status == 0, "\(result)")
        let out = result.stdout
        #expect(out.hasPrefix("Built a synthetic city of 300 persons: "))
        let replayed = result.lines.first { $0.hasPrefix("Replayed ") }
        #expect(replayed != nil)
        for title in ["Coverage by county as of 2024-12-30 (residence basis)", "Survey progress by county",
                      "Dynamic-management ledger: ", "Interrupted contributors: ", "Employer staff coverage by county",
                      "Employer screening progress by county", "employeePension: contributors on 2024-12-30 against the plan",
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
    }

    @Test func leavesOtherDirectoriesAlone() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("demo", "--store", "store", "--persons", "10")
        #expect(result.status == 73, "EX_CANTCREAT")
        #expect(result.stderr == "registry: error: the directory is not empty and is not a previous demo store; nothing was changed (store); give --store a new directory (the demo wipes only its own stores)\n")
        #expect(try dir.registry("verify", "--store", "store").stdout.hasPrefix("intact up to 9 "))
    }
}
