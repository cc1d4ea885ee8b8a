import EventLog
import FuzzSupport
import Foundation
import Logging
import Testing
@testable import FileStore

/// The power-loss harness, after SQLite's crash-simulating file layer: a store on a ``SimulatedDisk`` (64 KiB
/// segments, so roll-overs and index and id-table writes come every few commits) takes seeded batches until power
/// goes at a seeded call — a segment write or sync, an index or id table's temporary file, its rename, a new
/// segment, a directory sync —; half the time the disk boots, a store recovers on it and appends again, and power
/// goes a second time (during recovery, too). What the disk holds then (unsynced sectors new, old, zeroed or garbage,
/// unsynced directory entries kept or lost) is written to a real directory and opened by the real store.
///
/// Oracle, for every loss: the store opens; every acknowledged append is there, byte-equal, at its position;
/// every other record returned is exactly one the writer wrote, at the position it was written to; damage, if any
/// is reported, lies after the last acknowledged record (in bytes never synced), and `repair` then gives a store
/// holding every acknowledged record; the chain verifies; a new append works and reads back. Long run:
/// `scripts/torture powerloss`.
@Suite("Power-loss harness", .serialized)
struct PowerLossHarnessTests {
    static let clock: @Sendable () -> Timestamp = { Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000) }
    /// Recovery logs each torn tail it cuts: thousands here.
    static let quiet = Logger(label: "powerloss") { _ in SwiftLogNoOpLogHandler() }
    static var options: FileEventStore.Options { .init(segmentSize: 64 << 10, clock: clock, logger: quiet) }

    /// An event the writer sent, and the position it was staged at.
    struct Written {
        var position: LogPosition
        var stream: StreamID
        var event: ProposedEvent
    }

    /// What the writers sent and what was acknowledged, across the losses of one trial.
    struct Ledger {
        var written: [UUID: Written] = [:]
        var acknowledged: [LogPosition: UUID] = [:]
        var nextID = 0

        mutating func event(_ random: inout Mutator) -> ProposedEvent {
            nextID += 1
            let size = Int.random(in: 60...2500, using: &random)
            let fill = UInt8.random(in: 0...255, using: &random)
            return ProposedEvent(id: UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", nextID))!, type: "PowerLoss",
                                 effectiveTime: Timestamp(microsecondsSinceEpoch: Int64(nextID)),
                                 payload: Array("event \(nextID) ".utf8) + [UInt8](repeating: fill, count: size),
                                 metadata: EventMetadata(actor: "powerloss"))
        }
    }

    /// How losses ended, for the figures.
    struct Figures {
        var losses = 0, secondLosses = 0, lostDuringRecovery = 0
        var clean = 0, tornTailsCut = 0, tornBytesCut = 0
        var survivorsBeyondAcknowledged = 0, lossesWithSurvivors = 0
        var damageInUnsyncedBytes = 0, repaired = 0
        var indexesRebuilt = 0, acknowledged = 0
        var lostAt: [String: Int] = [:]
        var sectors = SimulatedDisk.Tally()

        mutating func add(_ t: SimulatedDisk.Tally) {
            sectors.sectorsNew += t.sectorsNew
            sectors.sectorsOld += t.sectorsOld
            sectors.sectorsZero += t.sectorsZero
            sectors.sectorsGarbage += t.sectorsGarbage
            sectors.directoryOperationsKept += t.directoryOperationsKept
            sectors.directoryOperationsLost += t.directoryOperationsLost
            sectors.filesLengthChanged += t.filesLengthChanged
        }
    }

    /// Appends seeded batches (one group commit each) to a store on `disk` until power goes or `commits` are done.
    static func write(_ store: FileEventStore, _ disk: SimulatedDisk, commits: Int, _ ledger: inout Ledger, _ random: inout Mutator) async throws {
        var head = try await store.headPosition()
        for _ in 0..<commits {
            // A call that runs on the writer's queue: a roll-over after the last commit has finished, so whether power
            // went is known here, and a seed replays the same losses.
            _ = try? await store.streamVersion(of: try StreamID("s-0"))
            if disk.powerLost { return }
            var requests: [StreamAppend] = []
            var staged: [Written] = []
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let stream = try StreamID("s-\(Int.random(in: 0..<5, using: &random))")
                let events = (0..<Int.random(in: 1...4, using: &random)).map { _ in ledger.event(&random) }
                requests.append(StreamAppend(stream: stream, expected: .any, events: events))
                for e in events {
                    head += 1
                    staged.append(Written(position: head, stream: stream, event: e))
                }
            }
            for w in staged { ledger.written[w.event.id] = w }
            let results: [Result<AppendResult, EventLogError>]
            do {
                results = try await store.append(requests)
            } catch {
                return  // power lost (or appends refused after it): nothing of this batch is acknowledged
            }
            for (request, result) in zip(requests, results) {
                let appended: AppendResult
                switch result {
                case .success(let a): appended = a
                case .failure(let error):
                    // A request staged after power went (its idempotency look-up read a file): nothing was written.
                    #expect(disk.powerLost, "a request failed with power on: \(error)")
                    return
                }
                #expect(appended.positions.count == request.events.count)
                for (position, event) in zip(appended.positions, request.events) {
                    #expect(ledger.written[event.id]?.position == position, "the writer staged \(event.id) at \(String(describing: ledger.written[event.id]?.position)), the store put it at \(position)")
                    ledger.acknowledged[position] = event.id
                }
            }
        }
    }

    /// Opens a store on `disk`: nil when power went during recovery.
    static func open(_ disk: SimulatedDisk, _ path: String) throws -> FileEventStore? {
        var options = Self.options
        options.io = disk
        do {
            return try FileEventStore(directory: path, options: options)
        } catch is SimulatedDisk.PowerLost {
            return nil
        } catch let error as EventLogError where disk.powerLost {
            _ = error  // a call failed because power had gone
            return nil
        }
    }

    static func key(_ what: String?) -> String {
        guard let what else { return "after the last commit" }
        let parts = what.split(separator: " ")
        guard parts.count > 1 else { return what }
        // "write 00000002.seg" → "write .seg": the step, not the segment number.
        return "\(parts.dropLast().joined(separator: " ")) \(parts.last!.drop { $0.isNumber })"
    }

    /// Every record of an opened store, and the error a read stopped at, if any.
    static func readAll(_ store: FileEventStore) async -> ([RecordedEvent], EventLogError?) {
        var seen: [RecordedEvent] = []
        var next: LogPosition = 1
        do {
            while true {
                let batch = try await store.read(from: next, filter: .all, maxCount: 256)
                if batch.isEmpty { return (seen, nil) }
                seen += batch.events
                next = batch.nextPosition
            }
        } catch let error as EventLogError {
            return (seen, error)
        } catch {
            return (seen, EventLogError(.ioFailure, "\(error)"))
        }
    }

    /// Checks the records read against the ledger: every acknowledged one there, nothing not written.
    static func check(_ seen: [RecordedEvent], _ ledger: Ledger, _ what: String) {
        var ids = Set<UUID>()
        for (i, r) in seen.enumerated() {
            #expect(r.position == LogPosition(i + 1), "\(what): read out of order at \(r.position)")
            #expect(ids.insert(r.id).inserted, "\(what): \(r.id) returned twice")
            guard let w = ledger.written[r.id] else {
                Issue.record("\(what): position \(r.position) holds an id the writer never sent: \(r.id)")
                continue
            }
            #expect(r.position == w.position && r.stream == w.stream && r.type == w.event.type && r.payload == w.event.payload
                    && r.metadata == w.event.metadata && r.effectiveTime == w.event.effectiveTime && r.recordedTime == clock(),
                    "\(what): position \(r.position) is not the record written there")
        }
        for (position, id) in ledger.acknowledged.sorted(by: { $0.key < $1.key }) {
            guard position <= seen.count else {
                Issue.record("\(what): acknowledged position \(position) is gone (the store holds \(seen.count))")
                return
            }
            #expect(seen[Int(position) - 1].id == id, "\(what): acknowledged position \(position) holds another record")
        }
    }

    /// One trial: one or two power losses, then the real store on what the disk holds.
    static func trial(_ number: Int, lockDirectory: String, _ random: inout Mutator, _ figures: inout Figures) async throws {
        var ledger = Ledger()
        let what = "loss \(number) (seed \(Mutator.seed))"
        var disk = SimulatedDisk()
        disk.lossAt = Int.random(in: 1...130, using: &random)
        if let store = try open(disk, lockDirectory) {
            try await write(store, disk, commits: 30, &ledger, &random)
            try await store.close()
        }
        figures.lostAt[key(disk.powerLost ? disk.lostAt : nil), default: 0] += 1
        var image = disk.image(&random)
        figures.add(image.tally)
        figures.losses += 1
        if Bool.random(using: &random) {
            // The disk boots; a writer recovers on it and appends, and power goes again.
            disk = SimulatedDisk(files: image.files, directories: image.directories)
            disk.lossAt = Int.random(in: 1...40, using: &random)
            if let store = try open(disk, lockDirectory) {
                if store.recovery.damage == nil { try await write(store, disk, commits: 10, &ledger, &random) }
                try await store.close()
            } else {
                figures.lostDuringRecovery += 1
            }
            image = disk.image(&random)
            figures.add(image.tally)
            figures.secondLosses += 1
            figures.losses += 1
        }
        figures.acknowledged += ledger.acknowledged.count

        let dir = TemporaryDirectory("powerloss")
        defer { dir.remove() }
        for (path, bytes) in image.files where SimulatedDisk.parent(path) == lockDirectory {
            try Data(bytes).write(to: URL(fileURLWithPath: dir.file(String(path.dropFirst(lockDirectory.count + 1)))))
        }
        let store: FileEventStore
        do {
            store = try FileEventStore(directory: dir.path, options: options)
        } catch {
            Issue.record("\(what): the store does not open after the power loss: \(error)")
            return
        }
        let (seen, readError) = await readAll(store)
        check(seen, ledger, what)
        let lastAcknowledged = ledger.acknowledged.keys.max() ?? 0
        figures.tornBytesCut += store.recovery.tornBytesCut
        figures.indexesRebuilt += store.recovery.indexesRebuilt
        if store.recovery.tornBytesCut > 0 { figures.tornTailsCut += 1 }
        if seen.count > lastAcknowledged {
            figures.lossesWithSurvivors += 1
            figures.survivorsBeyondAcknowledged += seen.count - Int(lastAcknowledged)
        }
        let verified = await LogVerifier.verify(store)
        if let damage = store.recovery.damage ?? readError ?? verified.failure {
            // Damage may only lie in bytes that were never synced: after the last acknowledged record.
            #expect((damage.position ?? 0) > lastAcknowledged, "\(what): damage at or before the last acknowledged position \(lastAcknowledged): \(damage)")
            figures.damageInUnsyncedBytes += 1
            try await store.close()
            let report = try await FileEventStore.repair(directory: dir.path, actor: "powerloss", options: options)
            #expect(report.damage != nil && report.keptRecords >= lastAcknowledged, "\(what): repair kept \(report.keptRecords) of \(lastAcknowledged) acknowledged")
            figures.repaired += 1
            let repaired = try FileEventStore(directory: dir.path, options: options)
            let (after, error) = await readAll(repaired)
            #expect(error == nil && repaired.recovery.damage == nil, "\(what): still damaged after repair: \(String(describing: error ?? repaired.recovery.damage))")
            // The repair's own record (stream ops-repair) follows the kept ones.
            check(Array(after.prefix(Int(report.keptRecords))), ledger, what + " after repair")
            try await appendAndReadBack(repaired, what)
            return
        }
        if store.recovery.tornBytesCut == 0 && seen.count == lastAcknowledged { figures.clean += 1 }
        try await appendAndReadBack(store, what)
    }

    /// A new append after recovery works, reads back at the head, and the chain verifies.
    static func appendAndReadBack(_ store: FileEventStore, _ what: String) async throws {
        let head = try await store.headPosition()
        let event = ProposedEvent(id: UUID(), type: "AfterLoss", effectiveTime: Timestamp(microsecondsSinceEpoch: 1), payload: Array("after".utf8),
                                  metadata: EventMetadata(actor: "powerloss"))
        do {
            let result = try await store.append([event], to: try StreamID("after-loss"))
            #expect(result.positions == (head + 1)...(head + 1), "\(what): the new append went to \(result.positions), not \(head + 1)")
            let back = try await store.read(from: head + 1, filter: .all, maxCount: 1).events
            #expect(back.first?.id == event.id, "\(what): the new append does not read back")
        } catch {
            Issue.record("\(what): appending after recovery failed: \(error)")
        }
        let verified = await LogVerifier.verify(store)
        #expect(verified.failure == nil, "\(what): the chain does not verify after the new append: \(verified)")
        try await store.close()
    }

    @Test("Seeded power losses at every step of append, roll-over and index write: nothing acknowledged lost, nothing unwritten returned")
    func losses() async throws {
        let started = Date()
        let lock = TemporaryDirectory("powerloss-writer")
        defer { lock.remove() }
        var random = Mutator(seed: Mutator.seed)
        // The size is the number of power losses (a trial has one or two).
        let size = Mutator.size(default: 200)
        var figures = Figures()
        var count = 0
        while figures.losses < size {
            try await Self.trial(count, lockDirectory: lock.path, &random, &figures)
            count += 1
        }
        let f = figures, s = f.sectors
        #expect(f.losses >= size && f.acknowledged > 0)
        print("""
            powerloss: \(f.losses) power losses in \(count) trials (\(f.secondLosses) after a reboot, \(f.lostDuringRecovery) of them during recovery), \
            \(String(format: "%.1f", Date().timeIntervalSince(started))) s, seed \(Mutator.seed); \(f.acknowledged) acknowledged records checked; \
            outcomes: \(f.clean) clean, \(f.tornTailsCut) torn tails cut (\(f.tornBytesCut) bytes), \(f.lossesWithSurvivors) with unacknowledged records surviving \
            (\(f.survivorsBeyondAcknowledged) records), \(f.damageInUnsyncedBytes) damage in unsynced bytes (all repaired: \(f.repaired)), \(f.indexesRebuilt) indexes rebuilt; \
            sectors new/old/zero/garbage \(s.sectorsNew)/\(s.sectorsOld)/\(s.sectorsZero)/\(s.sectorsGarbage), directory operations kept/lost \
            \(s.directoryOperationsKept)/\(s.directoryOperationsLost), lengths changed \(s.filesLengthChanged); \
            first loss at: \(f.lostAt.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            """)
    }
}
