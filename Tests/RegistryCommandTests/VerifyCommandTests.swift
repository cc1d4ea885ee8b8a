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
        #expect(view.status == 1)
        #expect(view.stdout.isEmpty)
        #expect(view.stderr.hasPrefix("registry: error: the store is damaged, so its views would be incomplete: corrupt-record"))
        #expect(view.stderr.hasSuffix("; run `registry verify --store store` to see how far the log is intact\n"))
        #expect(view.stderr.split(separator: "\n").count == 1)
    }

    @Test("A directory without a store is not an empty log: verify and every view say no store was found")
    func directoryWithoutAStore() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("empty"), withIntermediateDirectories: true)
        try dir.write("empty/notes.txt", "not a store\n")
        for (store, commands) in [("empty", ["verify", "coverage", "export", "replay"]), ("/proc", ["verify", "stats"])] {
            for command in commands {
                let result = try dir.registry(command, "--store", store)
                #expect(result.status == 1, "\(command) \(store)")
                #expect(result.stdout.isEmpty)
                #expect(result.stderr.hasPrefix("registry: error: no store found"), "\(command) \(store): \(result.stderr)")
                #expect(result.stderr.split(separator: "\n").count == 1)
            }
        }
        // Nothing was created in it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent("empty").path) == ["notes.txt"])
    }

    @Test("A store created by a writing command is announced on standard error; an empty store verifies")
    func emptyStore() throws {
        let dir = try TemporaryDirectory()
        let created = try dir.registry("import", "--store", "new", "-", input: "")
        #expect(created.stderr.hasPrefix("registry: created a new store at new\n"))
        let result = try dir.registry("verify", "--store", "new")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("intact up to 0 "))
        // Owner-only: the directory 0700, its files 0600.
        let fm = FileManager.default
        #expect(try fm.attributesOfItem(atPath: dir.url.appendingPathComponent("new").path)[.posixPermissions] as? Int == 0o700)
        for name in try fm.contentsOfDirectory(atPath: dir.url.appendingPathComponent("new").path) {
            #expect(try fm.attributesOfItem(atPath: dir.url.appendingPathComponent("new/" + name).path)[.posixPermissions] as? Int == 0o600, "\(name)")
        }
    }

    @Test("A damaged segment header is damage (exit 3), a flipped format-version byte too")
    func damagedHeader() throws {
        for byte in [8, 63] {
            let dir = try SmallLog.imported()
            let segment = dir.url.appendingPathComponent("store/00000001.seg")
            var bytes = try Data(contentsOf: segment)
            bytes[byte] ^= 0x01
            try bytes.write(to: segment)
            let result = try dir.registry("verify", "--store", "store")
            #expect(result.status == 3, "byte \(byte): \(result)")
            #expect(result.lines.first?.hasPrefix("damaged at position 1: corrupt-record: the segment header fails its checksum") == true)
            let view = try dir.registry("coverage", "--store", "store")
            #expect(view.status == 1)
            #expect(!view.stderr.contains("use the version of registry that wrote it"))
            #expect(view.stderr.contains("the store is damaged"))
        }
    }
}
