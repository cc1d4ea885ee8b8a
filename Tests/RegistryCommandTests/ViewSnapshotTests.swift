import Foundation
import RegistryDomain
import Testing

/// The views' snapshot beside a file store: a view from it equals a full replay, and one that does not fit the log
/// is set aside and rebuilt.
@Suite("views' snapshot", .serialized)
struct ViewSnapshotTests {
    /// A deterministic generator (SplitMix64), so a failure can be replayed.
    struct Seeded {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    /// The citizen ID of test person `n` (in 120101 or 120102 by parity, a valid check character).
    static func id(_ n: Int) -> String {
        let leading = ["120101", "120102"][n % 2] + String(format: "19%02d0%d1%d", 50 + n % 49, 1 + n % 9, n % 10) + String(format: "%03d", n % 1000)
        return leading + String(CitizenID.checkCharacter(forLeading: leading)!)
    }

    /// Random new persons and facts, every line valid under the rules.
    static func lines(_ rng: inout Seeded, persons: Int, from first: Int) -> String {
        var out: [String] = []
        for n in first..<(first + persons) {
            let person = id(n), county = ["120101", "120102"][n % 2]
            let day = String(format: "2024-%02d-%02d", 1 + rng.next(6), 1 + rng.next(28))
            func line(_ type: String, _ version: Int, _ data: String) {
                out.append(#"{"actor":"operator:test","data":\#(data),"effective":"\#(day)","id":"\#(UUID().uuidString)","stream":"person-\#(person)","type":"\#(type)","version":\#(version)}"#)
            }
            line("PersonRegistered", 1, #"{"citizenID":"\#(person)","employmentStatus":"unemployed","hukouAddress":"天津市","hukouDivision":"\#(county)","name":"张三","residenceAddress":"天津市某街道","residenceDivision":"\#(county)00100\#(1 + rng.next(3))","source":"publicSecurity"}"#)
            if rng.next(3) > 0 { line("PersonEnrolled", 2, #"{"insuranceType":"residentMedical","route":"resident"}"#) }
            if rng.next(3) == 0 { line("PersonEnrolled", 2, #"{"insuranceType":"residentPension","route":"resident"}"#) }
            if rng.next(5) == 0 { line("StatusMarked", 1, #"{"mark":"unwilling","reasonCode":"U01"}"#) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static let views: [[String]] = [
        ["coverage", "--format", "csv"], ["coverage", "--level", "street", "--format", "csv"],
        ["worklist", "--list", "--format", "csv"], ["worklist", "--progress", "--format", "csv"],
        ["ledger", "--cases", "--format", "csv"], ["ledger", "--interruptions", "--format", "csv"], ["stats", "--format", "csv"],
    ]

    /// Every view from the snapshot and by a full replay: they must be equal.
    static func expectSame(_ dir: TemporaryDirectory, basis: String = "residence", store: String = "store") throws {
        for view in views {
            let snapshot = try dir.registry(arguments: view + ["--store", store, "--basis", basis])
            let full = try dir.registry(arguments: view + ["--store", store, "--basis", basis, "--no-snapshot"])
            #expect(snapshot.status == 0, "\(view): \(snapshot)")
            #expect(!snapshot.stderr.contains("not used"), "the snapshot saved by the previous view fits: \(snapshot)")
            #expect(snapshot.stdout == full.stdout, "\(view.joined(separator: " "))")
        }
    }

    @Test("A view from the snapshot equals a full replay, after each of several random imports")
    func equalsFullReplay() throws {
        let dir = try SmallLog.imported()
        let path = dir.url.appendingPathComponent("store/views/registry-residence.checkpoint").path
        var rng = Seeded(state: 20_261_130)
        #expect(!FileManager.default.fileExists(atPath: path))
        for round in 0..<3 {
            try Self.expectSame(dir)
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "the snapshot holds the registry's state: owner-only")
            _ = try dir.write("more-\(round).jsonl", Self.lines(&rng, persons: 15, from: 100 * round))
            let imported = try dir.registry("import", "--store", "store", "more-\(round).jsonl")
            #expect(imported.status == 0, "\(imported)")
        }
        try Self.expectSame(dir)
    }

    @Test("After a small import the snapshot is left as it is and the views fold the new records on top of it")
    func smallTailNotRewritten() throws {
        let dir = try SmallLog.imported()
        var rng = Seeded(state: 11)
        _ = try dir.write("base.jsonl", Self.lines(&rng, persons: 150, from: 500))
        #expect(try dir.registry("import", "--store", "store", "base.jsonl").status == 0)
        #expect(try dir.registry("coverage", "--store", "store").status == 0)
        let path = dir.url.appendingPathComponent("store/views/registry-residence.checkpoint").path
        let saved = try Data(contentsOf: URL(fileURLWithPath: path))
        // One new person: a few records, under a hundredth of the log.
        _ = try dir.write("one.jsonl", Self.lines(&rng, persons: 1, from: 900))
        #expect(try dir.registry("import", "--store", "store", "one.jsonl").status == 0)
        try Self.expectSame(dir)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == saved, "a tail that small is folded, not saved")
        // Many new persons: the tail is worth a new snapshot.
        _ = try dir.write("many.jsonl", Self.lines(&rng, persons: 60, from: 1000))
        #expect(try dir.registry("import", "--store", "store", "many.jsonl").status == 0)
        try Self.expectSame(dir)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) != saved, "the snapshot moved with the log")
    }

    @Test("A snapshot of another store, of a later state, or of other settings is set aside and the views rebuilt")
    func refused() throws {
        let dir = try SmallLog.imported()
        var rng = Seeded(state: 7)
        // A second store with other facts, and its snapshot.
        _ = try dir.write("other.jsonl", Self.lines(&rng, persons: 10, from: 500))
        #expect(try dir.registry("import", "--store", "other", "other.jsonl").status == 0)
        #expect(try dir.registry("coverage", "--store", "other").status == 0)
        let views = dir.url.appendingPathComponent("store/views")
        try FileManager.default.createDirectory(at: views, withIntermediateDirectories: true)
        let foreign = dir.url.appendingPathComponent("other/views/registry-residence.checkpoint")
        try FileManager.default.copyItem(at: foreign, to: views.appendingPathComponent("registry-residence.checkpoint"))
        let used = try dir.registry("coverage", "--store", "store", "--format", "csv")
        #expect(used.stderr.contains("snapshot is not used"), "\(used)")
        #expect(used.stdout == (try dir.registry("coverage", "--store", "store", "--format", "csv", "--no-snapshot")).stdout)
        try Self.expectSame(dir)  // rebuilt and saved again: now it fits

        // Other settings: the residence snapshot under the hukou name.
        try FileManager.default.copyItem(at: views.appendingPathComponent("registry-residence.checkpoint"),
                                         to: views.appendingPathComponent("registry-hukou.checkpoint"))
        let hukou = try dir.registry("coverage", "--store", "store", "--basis", "hukou", "--format", "csv")
        #expect(hukou.stderr.contains("snapshot is not used"), "\(hukou)")
        try Self.expectSame(dir, basis: "hukou")

        // A crash between the log and the snapshot, or a store put back from a backup: the snapshot is ahead of the log.
        try FileManager.default.copyItem(at: dir.url.appendingPathComponent("store"), to: dir.url.appendingPathComponent("backup"))
        _ = try dir.write("later.jsonl", Self.lines(&rng, persons: 5, from: 900))
        #expect(try dir.registry("import", "--store", "store", "later.jsonl").status == 0)
        #expect(try dir.registry("coverage", "--store", "store").status == 0)  // the snapshot moves past the backup
        let backupViews = dir.url.appendingPathComponent("backup/views/registry-residence.checkpoint")
        try FileManager.default.removeItem(at: backupViews)
        try FileManager.default.copyItem(at: views.appendingPathComponent("registry-residence.checkpoint"), to: backupViews)
        let ahead = try dir.registry("coverage", "--store", "backup", "--format", "csv")
        #expect(ahead.stderr.contains("snapshot is not used"), "\(ahead)")
        try Self.expectSame(dir, store: "backup")
    }
}
