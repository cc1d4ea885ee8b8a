import Foundation
import Testing

@Suite("registry repair")
struct RepairCommandTests {
    @Test("Damage followed by records: verify exits 3, repair sets it aside, keeps the records before it and says so")
    func repairsAndReports() throws {
        let dir = try SmallLog.imported()
        let segment = dir.url.appendingPathComponent("store/00000001.seg")
        var bytes = try Data(contentsOf: segment)
        bytes[1500] ^= 0xFF  // inside record 7; 8 and 9 follow
        try bytes.write(to: segment)
        #expect(try dir.registry("verify", "--store", "store").status == 3)
        // Appends are refused, with the way out named.
        let refused = try dir.registry("import", "--store", "store", "small.jsonl")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("registry repair"), "\(refused.stderr)")

        let repair = try dir.registry("repair", "--store", "store", "--actor", "ops-duty")
        #expect(repair.status == 0, "\(repair)")
        #expect(repair.lines.first?.hasPrefix("found: corrupt-record: ") == true)
        #expect(repair.lines.contains { $0.hasPrefix("moved 00000001.seg to damaged/") })
        #expect(repair.lines.contains("wrote 00000001.seg again with the whole records before the damage"))
        #expect(repair.lines.contains("kept positions 1 to 6; the next append takes position 8"))
        #expect(repair.lines.last == "recorded the repair at position 7 (stream ops-repair, event LogRepaired)")
        let damaged = try FileManager.default.contentsOfDirectory(atPath: dir.url.appendingPathComponent("store/damaged").path)
        #expect(damaged.count == 1)
        #expect(try Data(contentsOf: dir.url.appendingPathComponent("store/damaged/\(damaged[0])/00000001.seg")) == bytes)

        let verify = try dir.registry("verify", "--store", "store")
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("intact up to 7 "))
        // The views work again (the repair's own stream is not a person's).
        #expect(try dir.registry("stats", "--store", "store").status == 0)
        // The repaired log exports and imports back (the repair record stays with this store).
        let export = try dir.registry("export", "--store", "store", "--output", "repaired.jsonl")
        #expect(export.status == 0)
        #expect(export.stderr.contains("1 repair record(s) of this store (stream ops-repair) are not exported"))
        let restored = try dir.registry("import", "--store", "restored", "--no-rules", "repaired.jsonl")
        #expect(restored.lines.first == "Imported repaired.jsonl: 6 accepted, 0 already present, 0 rejected")
        let again = try dir.registry("repair", "--store", "store")
        #expect(again.lines == ["no damage found: the log is whole up to position 7; nothing was moved"])
    }

    @Test func refusesWhatIsNotAFileStore() throws {
        let dir = try TemporaryDirectory()
        let missing = try dir.registry("repair", "--store", "nothing")
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("registry: error: no store found"))
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let empty = try dir.registry("repair", "--store", "empty")
        #expect(empty.status == 1)
        #expect(empty.stderr.hasPrefix("registry: error: no store found"))
    }
}
