import EventLog
import Foundation
import Testing

@Suite("PrivateFile: owner-only files put in place whole")
struct PrivateFileTests {
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "private-file-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    @Test("A new file is 0600; an existing 0644 file is replaced (a new inode, 0600), never rewritten in place")
    func replaces() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/out"
        try PrivateFile.write(Array("first\n".utf8), replacing: path)
        #expect(try Self.mode(path) == 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let inode = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        try PrivateFile.write(Array("second\n".utf8), replacing: path)
        #expect(try Self.mode(path) == 0o600)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int != inode)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out"])
    }

    @Test("A discarded file leaves the target as it was and no temporary file behind")
    func discard() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/out"
        try PrivateFile.write(Array("kept\n".utf8), replacing: path)
        do {
            let file = try PrivateFile(replacing: path)
            try file.write(Array("half of a new".utf8))
            file.discard()
        }
        do {
            let file = try PrivateFile(replacing: path)
            try file.write(Array("dropped without commit".utf8))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "kept\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out"])
    }

    @Test("A target that is not a regular file is written directly")
    func device() throws {
        try PrivateFile.write(Array("nothing".utf8), replacing: "/dev/null")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: "/dev/null", isDirectory: &isDirectory))
    }

    @Test("A file in a directory that cannot be written is an io-failure naming it")
    func failure() {
        #expect(throws: EventLogError.self) { try PrivateFile.write([1], replacing: "/nonexistent-dir/out") }
    }
    /// A process id that belonged to a process that has ended (a child run to its end), and one that runs.
    static func endedAndRunning() throws -> (ended: Int32, running: Process) {
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let running = Process()
        running.executableURL = URL(fileURLWithPath: "/bin/sleep")
        running.arguments = ["30"]
        try running.run()
        return (ended.processIdentifier, running)
    }

    @Test("What a writer killed between naming its file and the rename left behind is removed by the next writer of that target, and only that")
    func leftovers() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (ended, running) = try Self.endedAndRunning()
        defer { running.terminate(); running.waitUntilExit() }
        let path = dir + "/out"
        let kept = [
            "out.tmp-\(running.processIdentifier)",  // a writer at work
            "other.tmp-\(ended)",                     // another target's
            "out.tmp-\(ended)x", "out.tmp-", "out.tmp-12345678901234",  // not a writer's name
        ]
        for name in kept + ["out.tmp-\(ended)"] { try Data("partial".utf8).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        try FileManager.default.createDirectory(atPath: dir + "/out.tmp-\(ended)0", withIntermediateDirectories: false)  // not a regular file
        try PrivateFile.write(Array("new\n".utf8), replacing: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        let left = try Set(FileManager.default.contentsOfDirectory(atPath: dir))
        #expect(left == Set(kept + ["out", "out.tmp-\(ended)0"]))
        // The same rule without writing: a reader of the target's folder may sweep too.
        try Data("partial".utf8).write(to: URL(fileURLWithPath: dir + "/out.tmp-\(ended)"))
        PrivateFile.removeLeftovers(of: path)
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.tmp-\(ended)"))
    }
}
