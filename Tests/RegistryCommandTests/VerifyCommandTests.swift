import Foundation
import Testing

@Suite("registry verify")
struct VerifyCommandTests {
    @Test func intactLog() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("verify", "--store", "store")
        #expect(result.status == 0)
        #expect(result.lines.count == 1)
        #expect(result.stdout.hasPrefix("intact up to 9 (head hash "))
    }

    @Test func damagedLogGivesTheFirstBadPosition() throws {
        let dir = try SmallLog.imported()
        // Flip one byte inside the seventh record (A's second enrolment) of the only segment.
        let segment = dir.url.appendingPathComponent("store/00000001.seg")
        var bytes = try Data(contentsOf: segment)
        bytes[1500] ^= 0xFF
        try bytes.write(to: segment)
        let result = try dir.registry("verify", "--store", "store")
        #expect(result.status == 3)
        #expect(result.lines.count == 2)
        #expect(result.lines.first?.hasPrefix("damaged at position 7: corrupt-record: ") == true)
        #expect(result.lines.last == "intact up to 6")
        // Views refuse to show a partial registry.
        let view = try dir.registry("coverage", "--store", "store")
        #expect(view.status == 65, "EX_DATAERR")
        #expect(view.stdout.isEmpty)
        #expect(view.stderr.hasPrefix("registry: error: the store is damaged, so its views would be incomplete: corrupt-record"))
        #expect(view.stderr.hasSuffix("; run `registry verify --store store` to see how far the log is intact\n"))
        #expect(view.stderr.split(separator: "\n").count == 1)
    }

    @Test func emptyStore() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let result = try dir.registry("verify", "--store", "empty")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("intact up to 0 "))
    }
}
