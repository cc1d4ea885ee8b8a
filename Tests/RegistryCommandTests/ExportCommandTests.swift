import Foundation
import Testing

@Suite("registry export")
struct ExportCommandTests {
    @Test func exportsTheWholeLogInOrder() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("export", "--store", "store")
        #expect(result.status == 0)
        let lines = result.lines
        #expect(lines.count == 9)
        #expect(lines.enumerated().allSatisfy { i, line in line.contains("\"position\":\(i + 1),") })
    }

    @Test func exportsOneStreamByCitizenIDOrStreamID() throws {
        let dir = try SmallLog.imported()
        let byID = try dir.registry("export", "--store", "store", "--stream", SmallLog.e)
        let byStream = try dir.registry("export", "--store", "store", "--stream", "person-" + SmallLog.e)
        #expect(byID.lines.count == 3)
        #expect(byID.stdout == byStream.stdout)
        #expect(byID.lines.map { $0.contains("\"type\":\"ContributionInterrupted\"") } == [false, false, true])
    }

    @Test func exportsACategoryToAPrivateFileThatImportsBack() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("export", "--store", "store", "--category", "person", "--output", "out.jsonl")
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "Exported 9 events to out.jsonl\n")
        let path = dir.url.appendingPathComponent("out.jsonl").path
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let restored = try dir.registry("import", "--store", "copy", "--no-rules", "out.jsonl")
        #expect(restored.lines.first == "Imported out.jsonl: 9 accepted, 0 already present, 0 rejected")
        #expect(try dir.registry("export", "--store", "copy").lines.count == 9)
    }

    @Test func refusesBothStreamAndCategory() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("export", "--store", "store", "--stream", SmallLog.a, "--category", "person")
        #expect(result.status == 64)
        #expect(result.stderr.contains("give --stream or --category, not both"))
    }

    @Test("--output over an existing file replaces it owner-only; a failed export leaves it as it was")
    func outputReplacesAnExistingFile() throws {
        let dir = try SmallLog.imported()
        let path = dir.url.appendingPathComponent("out.jsonl").path
        try dir.write("out.jsonl", String(repeating: "old content\n", count: 1000))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let before = try #require(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int)
        let result = try dir.registry("export", "--store", "store", "--output", "out.jsonl")
        #expect(result.status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        #expect(attributes[.systemFileNumber] as? Int != before, "rewritten in place")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 9)
        #expect(!text.contains("old content"))
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix("out.jsonl") } == ["out.jsonl"])
        // An export that fails (no such stream category) leaves the old file untouched.
        let failed = try dir.registry("export", "--store", "nothing", "--output", "out.jsonl")
        #expect(failed.status == 1)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }
}
