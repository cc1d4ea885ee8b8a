import Foundation
import Testing

@Suite("registry replay")
struct ReplayCommandTests {
    @Test func rebuildsAndReportsSpeed() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("replay", "--store", "store", "--checkpoint", "model.ckpt")
        #expect(result.status == 0)
        let lines = result.lines
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("Replayed 9 events in "))
        #expect(lines[0].hasSuffix(" events/s"))
        #expect(lines[1] == "3 persons, up to position 9")
        #expect(lines[2] == "Checkpoint saved to model.ckpt at position 9")
        let size = try FileManager.default.attributesOfItem(atPath: dir.url.appendingPathComponent("model.ckpt").path)[.size] as? Int
        #expect((size ?? 0) > 20)
    }
}

@Suite("registry views from a checkpoint")
struct CheckpointViewTests {
    @Test func viewsResumeFromTheCheckpointAndFoldNewerRecords() throws {
        let dir = try TemporaryDirectory()
        // A and B first (6 events), checkpoint, then the rest (E's three events).
        let firstSix = SmallLog.text.split(separator: "\n").prefix(6).joined(separator: "\n")
        #expect(try dir.registry("import", "--store", "store", "-", input: firstSix).status == 0)
        let replay = try dir.registry("replay", "--store", "store", "--checkpoint", "model.ckpt")
        #expect(replay.lines.last == "Checkpoint saved to model.ckpt at position 6")
        try dir.write("small.jsonl", SmallLog.text)
        _ = try dir.registry("import", "--store", "store", "small.jsonl")
        let resumed = try dir.registry("coverage", "--store", "store", "--checkpoint", "model.ckpt", "--totals", "--format", "csv")
        let rebuilt = try dir.registry("coverage", "--store", "store", "--totals", "--format", "csv")
        #expect(resumed.status == 0)
        #expect(resumed.stderr.isEmpty)
        #expect(resumed.lines.last?.hasPrefix("120101,all,3,3,3,2,1,1,") == true)
        #expect(resumed.stdout == rebuilt.stdout)
    }

    @Test func anUnusableCheckpointMeansARebuild() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("stats", "--store", "store", "--checkpoint", "missing.ckpt", "--format", "csv")
        #expect(result.status == 0)
        #expect(result.stderr == "registry: warning: the checkpoint missing.ckpt is not used: there is no checkpoint file; rebuilding from scratch\n")
        #expect(result.lines.count == 7)
        let cutoff = try dir.registry("stats", "--store", "store", "--checkpoint", "x", "--as-of", "2024-01-01")
        #expect(cutoff.status == 64)
    }

    @Test("A checkpoint of another store with the same positions is not used: a warning, and the figures of this store")
    func aCheckpointOfAnotherStoreIsNotUsed() throws {
        let dir = try SmallLog.imported()
        #expect(try dir.registry("replay", "--store", "store", "--checkpoint", "model.ckpt").status == 0)
        // The same lines imported again elsewhere: same positions and content, other recorded times.
        #expect(try dir.registry("import", "--store", "other", "small.jsonl").stdout.hasPrefix("Imported small.jsonl: 9 accepted"))
        let resumed = try dir.registry("stats", "--store", "other", "--checkpoint", "model.ckpt", "--format", "csv")
        let rebuilt = try dir.registry("stats", "--store", "other", "--format", "csv")
        #expect(resumed.status == 0)
        #expect(resumed.stderr.hasPrefix("registry: warning: the checkpoint model.ckpt is not used: the log's records at the checkpoint's position do not have the hashes it recorded"))
        #expect(resumed.stdout == rebuilt.stdout)
        let mode = try FileManager.default.attributesOfItem(atPath: dir.url.appendingPathComponent("model.ckpt").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
