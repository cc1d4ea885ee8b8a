import EventLog
import Foundation
import MemoryStore
import RegistryDomain
@testable import RegistryProjections
import Testing

@Suite("Cut-off stamps: a snapshot of the whole log starts a cut-off fold when it answers the cut-off")
struct CutoffStampedTests {
    @Test("At every position and cut-off, a saved stamped fold answers exactly when every record up to it passes, and then resumes to the cut-off fold")
    func resumesToTheCutoffFold() async throws {
        // The city log's recorded times are not in position order (F's enrolments are recorded months late), and
        // its effective times neither.
        let log = try await CityLog()
        // And a person recorded before everyone else (a clock stepped back), then enrolled back-dated.
        let h = CityLog.id("120101", "19991111", "079")
        try await log.append(h, CityLog.registered(h, residence: "120101001003"), "2024-03-03", recorded: "2024-01-02")
        try await log.append(h, CityLog.enrolled(.residentMedical), "2023-12-01")
        let all = try await log.store.read(from: 1, filter: .all, maxCount: 1_000)
        let times: [(recorded: Timestamp, effective: Timestamp)] = all.withRecords { views in views.map { ($0.recordedTime, $0.effectiveTime) } }
        #expect(times.count == 24)
        #expect(zip(times, times.dropFirst()).contains { $0.recorded > $1.recorded }, "the log's recorded times go back somewhere")
        // Cut-offs at, just before and just after every time in the log, each alone and a few combined.
        var instants = Set<Timestamp>()
        for t in times {
            for m in [t.recorded, t.effective] {
                for d in [-1, 0, 1] as [Int64] { instants.insert(Timestamp(microsecondsSinceEpoch: m.microsecondsSinceEpoch + d)) }
            }
        }
        let sorted = instants.sorted()
        var cutoffs = sorted.flatMap { [ReplayCutoff(effectiveBy: $0), ReplayCutoff(recordedBy: $0)] }
        for (i, t) in sorted.enumerated() where i % 5 == 0 { cutoffs.append(ReplayCutoff(effectiveBy: t, recordedBy: sorted[sorted.count - 1 - i])) }
        var answered = 0, refused = 0
        let path = NSTemporaryDirectory() + "stamped-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        for stop in [0, 1, 5, 8, 13, 17, 21, 22, 23, 24] {
            var stamped = CutoffStamped(RegistryFold())
            if stop > 0 {
                let batch = try await log.store.read(from: 1, filter: .all, maxCount: stop)
                try batch.withRecords { try stamped.apply($0) }
            }
            #expect(stamped.position == LogPosition(stop))
            try CheckpointFile.save(stamped, anchor: try await CheckpointAnchor.of(log.store, at: stamped.position), to: path)
            let restored = try await CheckpointFile.load(CutoffStamped<RegistryFold>.self, from: path, settings: .standard, for: log.store).get()
            #expect(restored == stamped)
            let peeked = try #require(CheckpointFile.peek(path, count: CutoffStamped<RegistryFold>.stampSize))
            #expect(peeked.position == LogPosition(stop))
            let stamp = try #require(peeked.head.withUnsafeBytes { CutoffStamped<RegistryFold>.stamp(from: $0) })
            #expect(stamp.recorded == restored.latestRecorded && stamp.effective == restored.latestEffective)
            for cutoff in cutoffs {
                let allPass = times.prefix(stop).allSatisfy { t in
                    (cutoff.effectiveBy.map { t.effective <= $0 } ?? true) && (cutoff.recordedBy.map { t.recorded <= $0 } ?? true)
                }
                #expect(restored.answers(cutoff) == allPass, "stop \(stop), \(cutoff)")
                guard allPass else { refused += 1; continue }
                answered += 1
                var resumed = restored.base.narrowed(to: cutoff)
                try await ProjectionEngine.catchUp(&resumed, from: log.store)
                #expect(resumed == (try await ProjectionEngine.rebuild(RegistryFold(cutoff: cutoff), from: log.store)), "stop \(stop), \(cutoff)")
            }
        }
        #expect(answered > 100 && refused > 100, "both cases are exercised: \(answered) answered, \(refused) refused")
        // A stamp that is not one (another projection's checkpoint under the name) is refused.
        try CheckpointFile.save(RegistryFold(), anchor: try await CheckpointAnchor.of(log.store, at: 0), to: path)
        #expect(CheckpointFile.load(CutoffStamped<RegistryFold>.self, from: path, settings: .standard) == nil)
    }
}
