import EventLog
import Foundation
import MemoryStore
import RegistryDomain
import RegistrySimulation
@testable import RegistryProjections
import Testing

/// The fold in two stages (person numbering on one core, the views' fold on the other) against folding each record
/// alone: the same state and the same snapshot bytes, whatever the log, the batch size, the starting point, the
/// cut-off or the error.
@Suite("Registry fold in two stages")
struct RegistryFoldStagedTests {
    /// A simulated city log.
    static func city(persons: Int, seed: UInt64) async throws -> InMemoryEventStore {
        let store = InMemoryEventStore()
        _ = try await CitySimulation(.init(persons: persons, seed: seed)).load(into: store)
        return store
    }

    /// Each record folded alone, from `fold`'s position.
    static func oneByOne(_ store: InMemoryEventStore, _ fold: RegistryFold = RegistryFold()) async throws -> RegistryFold {
        var fold = fold
        for try await batch in store.readAll(from: fold.position + 1) { try batch.withRecords { for r in $0 { try fold.apply(r) } } }
        return fold
    }

    static func expectSame(_ a: RegistryFold, _ b: RegistryFold, _ what: String) {
        #expect(a == b, "\(what)")
        #expect(a.index.count == a.persons.count, "\(what): every person numbered is folded")
        guard a.cutoff == .none else { return }  // only a fold of the whole log has a snapshot
        let x = a.checkpointBytes(), y = b.checkpointBytes()
        let first = zip(x, y).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(x.count == y.count && first == nil, "\(what): \(x.count) vs \(y.count) bytes, first difference at \(String(describing: first))")
    }

    @Test("Two stages equal folding each record alone: several city logs, seeds and batch sizes, snapshot bytes included",
          arguments: [(persons: 1_000, seed: UInt64(13)), (persons: 300, seed: 7), (persons: 2_500, seed: 29)])
    func stagedEqualsOneByOne(city: (persons: Int, seed: UInt64)) async throws {
        let store = try await Self.city(persons: city.persons, seed: city.seed)
        let single = try await Self.oneByOne(store)
        #expect(single.eventsFolded > city.persons * 2)
        for batchSize in [1, 7, 128, 129, 5_000, 100_000] {
            var staged = RegistryFold()
            try await ProjectionEngine.catchUp(&staged, from: store, batchSize: batchSize, staged: true)
            Self.expectSame(staged, single, "\(city), batches of \(batchSize), two stages")
            var whole = RegistryFold()
            try await ProjectionEngine.catchUp(&whole, from: store, batchSize: batchSize, staged: false)
            Self.expectSame(whole, single, "\(city), batches of \(batchSize), one stage")
        }
    }

    @Test("Resuming in two stages from part-way (a restored snapshot) equals folding each record alone")
    func stagedResume() async throws {
        let store = try await Self.city(persons: 800, seed: 41)
        let single = try await Self.oneByOne(store)
        let head = try await store.headPosition()
        for stop in [1, 129, Int(head) / 3, Int(head) - 1] {
            var partial = RegistryFold()
            let batch = try await store.read(from: 1, filter: .all, maxCount: stop)
            try batch.withRecords { try partial.apply($0) }
            var restored = try #require(partial.checkpointBytes().withUnsafeBytes { RegistryFold(checkpoint: $0, settings: .standard) })
            try await ProjectionEngine.catchUp(&restored, from: store, batchSize: 500, staged: true)
            Self.expectSame(restored, single, "resumed after \(stop)")
            #expect(restored.position == head)
        }
    }

    @Test("Cut-off views and the stamped views' snapshot: two stages equal one")
    func stagedCutoffAndStamp() async throws {
        let store = try await Self.city(persons: 1_200, seed: 5)
        let mid = try await store.read(from: 1, filter: .all, maxCount: 1_000_000).withRecords { views -> Timestamp in
            let times = views.map(\.effectiveTime).sorted()
            return times[times.count / 2]
        }
        for cutoff in [ReplayCutoff(effectiveBy: mid), ReplayCutoff(recordedBy: .now), ReplayCutoff(effectiveBy: mid, recordedBy: .now)] {
            let single = try await Self.oneByOne(store, RegistryFold(cutoff: cutoff))
            var staged = RegistryFold(cutoff: cutoff)
            try await ProjectionEngine.catchUp(&staged, from: store, batchSize: 333, staged: true)
            Self.expectSame(staged, single, "cut-off \(cutoff)")
        }
        var stampedWhole = CutoffStamped(RegistryFold())
        try await ProjectionEngine.catchUp(&stampedWhole, from: store, batchSize: 333, staged: false)
        var stampedStaged = CutoffStamped(RegistryFold())
        try await ProjectionEngine.catchUp(&stampedStaged, from: store, batchSize: 333, staged: true)
        #expect(stampedStaged == stampedWhole)
        #expect(stampedStaged.checkpointBytes() == stampedWhole.checkpointBytes())
        #expect(stampedStaged.latestEffective != nil)
    }

    @Test("An unreadable record stops two stages where it stops one: the same error, the same state, the index the fold's")
    func stagedStopsAtUnreadableRecord() async throws {
        for (persons, seed, batchSize) in [(400, UInt64(3), 64), (400, UInt64(3), 100_000), (900, UInt64(17), 1)] {
            let store = try await Self.city(persons: persons, seed: seed)
            let before = try await store.headPosition()
            // A person event whose payload is not one: the fold cannot read it.
            try await store.append([ProposedEvent(type: "PersonRegistered", effectiveTime: .now, payload: [1, 2, 3])],
                                   to: CityLog.a.streamID)
            _ = try await CitySimulation(.init(persons: 50, seed: seed + 1)).load(into: store)
            var whole = RegistryFold(), staged = RegistryFold()
            let e1 = await #expect(throws: ProjectionError.self) {
                try await ProjectionEngine.catchUp(&whole, from: store, batchSize: batchSize, staged: false)
            }
            let e2 = await #expect(throws: ProjectionError.self) {
                try await ProjectionEngine.catchUp(&staged, from: store, batchSize: batchSize, staged: true)
            }
            #expect(e1?.position == before + 1)
            #expect(e2?.position == e1?.position && e2?.reason == e1?.reason)
            Self.expectSame(staged, whole, "stopped at \(before + 1), batches of \(batchSize)")
        }
    }
}
