import EventLog
import Foundation
import RegistryDomain
import Testing
@testable import registry

/// As-of and known-at views start from the latest views' snapshot (current or earlier) whose stamp answers the
/// cut-off: what they show equals a full replay, a snapshot holding records past the cut-off is never the start, and
/// a damaged or foreign one is refused.
@Suite("cut-off views from snapshots", .serialized)
struct CutoffSnapshotTests {
    /// New persons whose facts are effective on the given days (picked at random), every line valid under the rules.
    static func lines(_ rng: inout ViewSnapshotTests.Seeded, persons: Int, from first: Int, days: [String]) -> String {
        var out: [String] = []
        let id = ViewSnapshotTests.id
        for n in first..<(first + persons) {
            let person = id(n), county = ["120101", "120102"][n % 2]
            let day = days[rng.next(days.count)]
            func line(_ type: String, _ version: Int, _ data: String) {
                out.append(#"{"actor":"operator:test","data":\#(data),"effective":"\#(day)","id":"\#(UUID().uuidString)","stream":"person-\#(person)","type":"\#(type)","version":\#(version)}"#)
            }
            line("PersonRegistered", 1, #"{"citizenID":"\#(person)","employmentStatus":"unemployed","hukouAddress":"天津市","hukouDivision":"\#(county)","name":"张三","residenceAddress":"天津市某街道","residenceDivision":"\#(county)00100\#(1 + rng.next(3))","source":"publicSecurity"}"#)
            let medical = rng.next(3) > 0
            if medical { line("PersonEnrolled", 2, #"{"insuranceType":"residentMedical","route":"resident"}"#) }
            if rng.next(3) == 0 { line("PersonEnrolled", 2, #"{"insuranceType":"residentPension","route":"resident"}"#) }
            if medical, rng.next(4) == 0 { line("ContributionInterrupted", 1, #"{"insuranceType":"residentMedical","reasonCode":"stopped-paying"}"#) }
            if rng.next(5) == 0 { line("StatusMarked", 1, #"{"mark":"unwilling","reasonCode":"U01"}"#) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func days(_ year: Int, months: ClosedRange<Int>) -> [String] {
        months.flatMap { m in [3, 11, 19, 27].map { String(format: "%04d-%02d-%02d", year, m, $0) } }
    }

    /// The log's head, from the export's last line.
    static func head(_ dir: TemporaryDirectory) throws -> Int {
        let export = try dir.registry("export", "--store", "store")
        let last = try #require(export.lines.last)
        let position = try #require(last.firstMatch(of: /"position":([0-9]+)/)?.output.1)
        return try #require(Int(position))
    }

    /// Now, to the microsecond, as a cut-off.
    static func now() -> String {
        let micros = Int64(Date().timeIntervalSince1970 * 1_000_000)
        return ISOTimestamp(Timestamp(microsecondsSinceEpoch: micros)).description
    }

    /// Where a cut-off view started: the snapshot's position, or 0 when it replayed from the start.
    static func start(_ dir: TemporaryDirectory, _ cutoff: [String]) throws -> Int {
        let r = try RegistryTool.run(["coverage", "--store", "store", "--totals", "--format", "csv"] + cutoff, in: dir.url, environment: ["REGISTRY_LOG_LEVEL": "info"])
        #expect(r.status == 0, "\(r)")
        if let m = r.stderr.firstMatch(of: /position=([0-9]+) snapshot=[^ ]+ \[registry\] cut-off views start from a snapshot/) { return Int(m.output.1)! }
        #expect(r.stderr.contains("cut-off views replay from the start"), "\(r)")
        return 0
    }

    /// Every view with the cut-off, from the snapshots and with `--no-snapshot`: they must be equal.
    static func expectSame(_ dir: TemporaryDirectory, _ cutoff: [String]) throws {
        for view in ViewSnapshotTests.views {
            let snapshot = try dir.registry(arguments: view + ["--store", "store"] + cutoff)
            let full = try dir.registry(arguments: view + ["--store", "store", "--no-snapshot"] + cutoff)
            #expect(snapshot.status == 0, "\(view): \(snapshot)")
            #expect(!snapshot.stderr.contains("not used"), "\(view) \(cutoff): \(snapshot)")
            #expect(snapshot.stdout == full.stdout, "\(view.joined(separator: " ")) \(cutoff.joined(separator: " "))")
        }
    }

    /// A store with snapshots at four positions (each round imported, then a view of the current state), a fifth
    /// round after the last one, and the moments between rounds. Round 2 holds a back-dated fact (2023) and a
    /// future-dated one (2031), so from round 2 on no snapshot answers an as-of date before 2031.
    static func rounds() throws -> (dir: TemporaryDirectory, snapshots: [Int], between: [String]) {
        let dir = try SmallLog.imported()
        var rng = ViewSnapshotTests.Seeded(state: 20_261_201)
        let plan: [[String]] = [
            days(2024, months: 1...6), days(2024, months: 7...9),
            days(2024, months: 10...12), days(2025, months: 1...3), days(2025, months: 4...6),
        ]
        var snapshots: [Int] = [], between: [String] = [Self.now()]
        for (round, days) in plan.enumerated() {
            var text = lines(&rng, persons: 12, from: 100 * round, days: days)
            if round == 2 {
                text += lines(&rng, persons: 1, from: 100 * round + 50, days: ["2023-05-01"])
                text += lines(&rng, persons: 1, from: 100 * round + 60, days: ["2031-01-01"])
            }
            _ = try dir.write("round-\(round).jsonl", text)
            let imported = try dir.registry("import", "--store", "store", "round-\(round).jsonl")
            #expect(imported.status == 0, "\(imported)")
            if round < plan.count - 1 {
                #expect(try dir.registry("coverage", "--store", "store").status == 0)  // saves the current snapshot
                snapshots.append(try head(dir))
            }
            between.append(Self.now())
        }
        return (dir, snapshots, between)
    }

    @Test("As-of and known-at views start from the latest snapshot that answers the cut-off and equal a full replay")
    func equalsFullReplay() throws {
        let (dir, p, t) = try Self.rounds()
        let views = dir.url.appendingPathComponent("store/views")
        let earlier = try FileManager.default.contentsOfDirectory(atPath: views.path).filter { $0.contains("@") }.sorted()
        #expect(Set(earlier) == Set(p.dropLast().map { "registry-residence@\($0).checkpoint" }), "the replaced snapshots are kept: \(earlier)")
        let current = try Data(contentsOf: views.appendingPathComponent("registry-residence.checkpoint"))

        // Known at: before the first snapshot's records, between each pair of rounds, after everything.
        let knownAt: [(cutoff: String, start: Int)] = [
            (t[0], 0), (t[1], p[0]), (t[2], p[1]), (t[3], p[2]), (t[4], p[3]), (t[5], p[3]),
        ]
        // As of: the snapshots' latest effective dates are 2024-06-27, 2024-09-27, then 2031-01-01 (round 2).
        let asOf: [(cutoff: String, start: Int)] = [
            ("2024-03-31", 0), ("2024-06-30", p[0]), ("2024-09-30", p[1]), ("2025-12-31", p[1]), ("2030-12-31", p[1]),
            ("2031-06-30", p[3]),
        ]
        for (cutoff, start) in knownAt {
            #expect(try Self.start(dir, ["--known-at", cutoff]) == start, "known at \(cutoff)")
            try Self.expectSame(dir, ["--known-at", cutoff])
        }
        for (cutoff, start) in asOf {
            #expect(try Self.start(dir, ["--as-of", cutoff]) == start, "as of \(cutoff)")
            try Self.expectSame(dir, ["--as-of", cutoff])
        }
        // Both: what was known after round 3 about the world by the end of 2025: round 2's future-dated fact rules
        // out every snapshot after round 1.
        #expect(try Self.start(dir, ["--known-at", t[4], "--as-of", "2025-12-31"]) == p[1])
        try Self.expectSame(dir, ["--known-at", t[4], "--as-of", "2025-12-31"])
        #expect(try Self.start(dir, ["--known-at", t[2], "--as-of", "2031-06-30"]) == p[1])
        try Self.expectSame(dir, ["--known-at", t[2], "--as-of", "2031-06-30"])

        // No cut-off view saved anything: the current snapshot and the earlier ones are as they were.
        #expect(try Data(contentsOf: views.appendingPathComponent("registry-residence.checkpoint")) == current)
        #expect(try FileManager.default.contentsOfDirectory(atPath: views.path).filter { $0.contains("@") }.sorted() == earlier)
        // And the view of the current state still starts from its own snapshot and equals a full replay.
        try ViewSnapshotTests.expectSame(dir)
    }

    @Test("A damaged earlier snapshot, or one of another store, is refused and the next one that fits is used")
    func refused() throws {
        let (dir, p, t) = try Self.rounds()
        let views = dir.url.appendingPathComponent("store/views")
        // Damaged in its state (the CRC fails): the snapshot at p[1] is skipped for the one at p[0].
        let second = views.appendingPathComponent("registry-residence@\(p[1]).checkpoint")
        var bytes = try Data(contentsOf: second)
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: second)
        let damaged = try dir.registry("coverage", "--store", "store", "--format", "csv", "--known-at", t[2],
                                       environment: ["REGISTRY_LOG_LEVEL": "info"])
        #expect(damaged.stderr.contains("registry-residence@\(p[1]).checkpoint is not used"), "\(damaged)")
        #expect(damaged.stderr.contains("position=\(p[0]) snapshot=registry-residence@\(p[0]).checkpoint"), "\(damaged)")
        #expect(damaged.stdout == (try dir.registry("coverage", "--store", "store", "--format", "csv", "--known-at", t[2], "--no-snapshot")).stdout)

        // Cut short before its stamp: refused too.
        let first = views.appendingPathComponent("registry-residence@\(p[0]).checkpoint")
        try Data(try Data(contentsOf: first).prefix(40)).write(to: first)
        let short = try dir.registry("coverage", "--store", "store", "--format", "csv", "--known-at", t[1],
                                     environment: ["REGISTRY_LOG_LEVEL": "info"])
        #expect(short.stderr.contains("registry-residence@\(p[0]).checkpoint is not used"), "\(short)")
        #expect(short.stderr.contains("cut-off views replay from the start"), "\(short)")
        #expect(short.stdout == (try dir.registry("coverage", "--store", "store", "--format", "csv", "--known-at", t[1], "--no-snapshot")).stdout)

        // Another store's snapshot, under the name of an earlier one of this store at a position it has: its stamp
        // answers the cut-off, its hashes do not match this log.
        let other = try SmallLog.imported()
        var rng = ViewSnapshotTests.Seeded(state: 5)
        _ = try other.write("other.jsonl", Self.lines(&rng, persons: 30, from: 700, days: Self.days(2024, months: 1...2)))
        #expect(try other.registry("import", "--store", "store", "other.jsonl").status == 0)
        #expect(try other.registry("coverage", "--store", "store").status == 0)
        let foreignPosition = try Self.head(other)
        #expect(foreignPosition < p[3])
        let foreign = views.appendingPathComponent("registry-residence@\(foreignPosition).checkpoint")
        try FileManager.default.copyItem(at: other.url.appendingPathComponent("store/views/registry-residence.checkpoint"), to: foreign)
        let cutoff = ["--as-of", "2024-05-31"]  // only the foreign snapshot's stamp answers it
        let refused = try RegistryTool.run(["coverage", "--store", "store", "--format", "csv"] + cutoff, in: dir.url,
                                           environment: ["REGISTRY_LOG_LEVEL": "info"])
        #expect(refused.stderr.contains("registry-residence@\(foreignPosition).checkpoint is not used (the log's records at the checkpoint's position do not have the hashes it recorded"), "\(refused)")
        #expect(refused.stderr.contains("cut-off views replay from the start"), "\(refused)")
        #expect(refused.stdout == (try dir.registry(arguments: ["coverage", "--store", "store", "--format", "csv", "--no-snapshot"] + cutoff)).stdout)
        // Another log's: removed once refused, so the next view does not meet it again.
        #expect(refused.stderr.contains("registry-residence@\(foreignPosition).checkpoint is not used (") && refused.stderr.contains("; removed\n"), "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: foreign.path))
        #expect(try Self.start(dir, cutoff) == 0, "no snapshot of this store answers \(cutoff)")
    }

    @Test("A store restored from its export under another's snapshots: they are refused once as another log's and removed, not noted by every view")
    func anotherLogsSnapshotsRemoved() throws {
        let (dir, _, _) = try Self.rounds()
        let views = dir.url.appendingPathComponent("store/views")
        let earlier = try FileManager.default.contentsOfDirectory(atPath: views.path).filter { $0.contains("@") }
        #expect(earlier.count == 3, "\(earlier)")
        #expect(try dir.registry("export", "--store", "store", "-o", "export.jsonl").status == 0)
        let everything = ["--as-of", "2099-12-31"]  // every snapshot's stamp answers it: each is loaded and checked
        let fm = FileManager.default
        func restored(_ name: String) throws {
            // The same events, recorded again: new recorded times, so a log with other hashes, under the old views.
            #expect(try dir.registry("import", "--store", name, "--no-rules", "export.jsonl").status == 0)
            try fm.copyItem(at: views, to: dir.url.appendingPathComponent("\(name)/views"))
        }
        func earlierFiles(_ name: String) throws -> [String] {
            try fm.contentsOfDirectory(atPath: dir.url.appendingPathComponent("\(name)/views").path).filter { $0.contains("@") }
        }
        func view(_ name: String, _ cutoff: [String]) throws -> RegistryTool.Result {
            let r = try dir.registry(arguments: ["coverage", "--store", name, "--format", "csv"] + cutoff)
            #expect(r.status == 0, "\(r)")
            #expect(r.stdout == (try dir.registry(arguments: ["coverage", "--store", name, "--format", "csv", "--no-snapshot"] + cutoff)).stdout)
            return r
        }

        // A view of the current state first: its snapshot is refused as another log's, and the earlier ones go too.
        try restored("restored")
        let current = try view("restored", [])
        #expect(current.stderr.contains("the views' snapshot is not used (the log's records at the checkpoint's position do not have the hashes it recorded"), "\(current)")
        #expect(current.stderr.contains("registry: note: 3 earlier views' snapshots of that other log removed"), "\(current)")
        #expect(try earlierFiles("restored").isEmpty)
        let cutoff = try view("restored", everything)
        #expect(!cutoff.stderr.contains("not used"), "no note about the other log's snapshots: \(cutoff)")

        // A cut-off view first: each snapshot is refused once, with a note, and removed; the next view notes nothing.
        try restored("swapped")
        let first = try view("swapped", everything)
        for name in earlier + ["registry-residence.checkpoint"] {
            #expect(first.stderr.contains("the views' snapshot \(name) is not used (") && first.stderr.contains("\(name) is not used") , "\(name): \(first)")
        }
        #expect(first.stderr.components(separatedBy: "; removed\n").count == 5, "four snapshots removed: \(first)")
        #expect(try earlierFiles("swapped").isEmpty)
        let second = try view("swapped", everything)
        #expect(!second.stderr.contains("not used"), "\(second)")

        // The store they belong to keeps them and still uses them.
        #expect(try fm.contentsOfDirectory(atPath: views.path).filter { $0.contains("@") }.count == 3)
        let own = try dir.registry(arguments: ["coverage", "--store", "store", "--format", "csv"] + everything)
        #expect(!own.stderr.contains("not used"), "\(own)")
    }

    @Test("Replaced snapshots are kept, at most three, spread over the log")
    func retention() throws {
        let dir = try SmallLog.imported()
        var rng = ViewSnapshotTests.Seeded(state: 99)
        var expected: [LogPosition] = [], previous: LogPosition?
        for round in 0..<6 {
            _ = try dir.write("r\(round).jsonl", Self.lines(&rng, persons: 8, from: 100 * round, days: Self.days(2024, months: 1...12)))
            #expect(try dir.registry("import", "--store", "store", "r\(round).jsonl").status == 0)
            #expect(try dir.registry("coverage", "--store", "store").status == 0)
            let head = LogPosition(try Self.head(dir))
            if let previous { expected = ViewSnapshot.thinned(expected + [previous], limit: 3, upTo: head) }
            previous = head
        }
        let views = dir.url.appendingPathComponent("store/views").path
        let kept = try FileManager.default.contentsOfDirectory(atPath: views).filter { $0.contains("@") }
            .compactMap { LogPosition($0.split(separator: "@")[1].split(separator: ".")[0]) }.sorted()
        #expect(kept == expected)
        #expect(kept.count == 3)
    }

    @Test("Thinning drops the snapshot whose neighbours are closest, and bounds every gap")
    func thinning() {
        #expect(ViewSnapshot.thinned([10, 20, 30], limit: 3, upTo: 100) == [10, 20, 30])
        #expect(ViewSnapshot.thinned([10, 40, 45, 90], limit: 3, upTo: 100) == [10, 45, 90])
        #expect(ViewSnapshot.thinned([10, 20, 30, 90], limit: 3, upTo: 100) == [20, 30, 90])  // a tie: the older goes
        #expect(ViewSnapshot.thinned([50, 60, 70, 80], limit: 2, upTo: 100) == [50, 80])
        // Snapshots every 1% of a growing log, thinned after each: every gap stays within 2·head/(limit+1).
        var kept: [LogPosition] = []
        var head: LogPosition = 1
        for _ in 0..<400 {
            kept.append(head)
            head += head / 100 + 1
            kept = ViewSnapshot.thinned(kept, limit: 3, upTo: head)
            let bounds = [0] + kept + [head]
            let widest = zip(bounds, bounds.dropFirst()).map { $1 - $0 }.max()!
            #expect(kept.count <= 3)
            #expect(widest <= 2 * head / 4 + head / 100 + 1, "gaps \(bounds)")
        }
    }
}
