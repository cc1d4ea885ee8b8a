import EventLog
import Foundation
import MemoryStore
import RegistryDomain
import RegistrySimulation
@testable import RegistryProjections
import Testing

@Suite("Registry views on a hand-built log")
struct RegistryFoldTests {
    static let now = CityLog.at("2024-06-30")

    static func build(_ log: CityLog, cutoff: ReplayCutoff = .none) async throws -> RegistryFold {
        try await ProjectionEngine.rebuild(RegistryFold(cutoff: cutoff), from: log.store, batchSize: 5)
    }

    static func row(_ rows: [CoverageRow], _ area: String, _ type: InsuranceType?) throws -> CoverageRow {
        try #require(rows.first { $0.area == area && $0.type == type })
    }

    @Test("Coverage by county and type, worked out by hand")
    func coverage() async throws {
        let log = try await CityLog()
        let model = try await Self.build(log)
        #expect(model.personCount == 7)
        let rows = model.coverage(level: .county, at: Self.now)
        // 120101: A B C E F G. E died on 2024-05-01: the death ended E's two enrolments, E is exempt. B and G miss
        // medical and pension.
        let all = try Self.row(rows, "120101", nil)
        #expect(all.known == 6)
        #expect(all.registered == 6)
        #expect(all.shouldBeInsured == 5)
        #expect(all.enrolled == 3)        // A C F (E's enrolments ended with the death)
        #expect(all.paying == 2)          // C F (A has an interrupted type)
        #expect(all.interrupted == 1)     // A
        #expect(all.notEnrolled == 2)     // B G
        #expect(all.exempt == 1)          // E
        #expect(all.coveragePercent == 60.0)  // (5 - 2) / 5
        #expect(all.registrationPercent == 100.0)
        let residentMedical = try Self.row(rows, "120101", .residentMedical)
        #expect(residentMedical.enrolled == 2)         // C F
        #expect(residentMedical.shouldBeInsured == 4)  // B C F G: not employees (A), not exempt (E)
        #expect(residentMedical.notEnrolled == 2)      // B G
        #expect(residentMedical.exempt == 1)           // E
        #expect(residentMedical.coveragePercent == 50.0)
        let pension = try Self.row(rows, "120101", .employeePension)
        #expect(pension.enrolled == 1)
        #expect(pension.paying == 0)
        #expect(pension.interrupted == 1)
        // D: known only from the prison comparison: area unknown, exempt.
        let unknown = try Self.row(rows, "unknown", nil)
        #expect(unknown.known == 1)
        #expect(unknown.registered == 0)
        #expect(unknown.exempt == 1)
        #expect(unknown.shouldBeInsured == 0)
        #expect(unknown.registrationPercent == 0)
        // Street level splits 120101001 (A B F G) and 120101002 (C E).
        let streets = model.coverage(level: .street, at: Self.now)
        #expect(try Self.row(streets, "120101001", nil).known == 4)
        #expect(try Self.row(streets, "120101002", nil).known == 2)
        #expect(try Self.row(streets, "120101001", nil).notEnrolled == 2)
    }

    @Test("As of a date by effective time differs from as known at that moment by recorded time")
    func asOf() async throws {
        let log = try await CityLog()
        let cut = CityLog.at("2024-03-05")
        let byEffective = try await Self.build(log, cutoff: ReplayCutoff(effectiveBy: cut))
        let byRecorded = try await Self.build(log, cutoff: ReplayCutoff(recordedBy: cut))
        let e = try Self.row(byEffective.coverage(level: .county, at: cut), "120101", nil)
        let r = try Self.row(byRecorded.coverage(level: .county, at: cut), "120101", nil)
        // Effective: A E F enrolled (F's enrolment is effective 2024-02-01); C not yet; G not yet known.
        #expect(e.known == 5)
        #expect(e.enrolled == 3)
        #expect(e.paying == 2)
        #expect(e.notEnrolled == 2)  // B C
        #expect(e.coveragePercent == 60.0)
        // Recorded: F's enrolment was written on 2024-06-01, so on 2024-03-05 the registry did not know it.
        #expect(r.known == 5)
        #expect(r.enrolled == 2)
        #expect(r.paying == 1)
        #expect(r.notEnrolled == 3)  // B C F
        #expect(r.coveragePercent == 40.0)
        #expect(try Self.row(byEffective.coverage(level: .county, at: cut), "120101", .residentMedical).enrolled == 2)
        #expect(try Self.row(byRecorded.coverage(level: .county, at: cut), "120101", .residentMedical).enrolled == 1)
    }

    @Test("Survey worklist and progress")
    func worklist() async throws {
        let log = try await CityLog()
        let model = try await Self.build(log)
        let list = model.worklist(at: Self.now)
        #expect(list.map(\.key) == [PersonKey.key(CityLog.g.streamID)!, PersonKey.key(CityLog.b.streamID)!])
        let g = list[0], b = list[1]
        #expect(g.state == .toDispatch)
        #expect(g.ageDays == 90)  // entered the ledger on 2024-04-01
        #expect(g.unmet == ["medical", "pension"])
        #expect(b.state == .sentBack)
        #expect(b.rejections == 1)
        #expect(b.ageDays == 121)  // dispatched 2024-03-01
        #expect(b.person == "1201**********013" + String(CityLog.b.value.last!))
        let progress = model.worklistProgress(level: .county, at: Self.now)
        #expect(progress.count == 1)
        #expect(progress[0].area == "120101")
        #expect(progress[0].issued == 1)
        #expect(progress[0].sentBack == 1)
        #expect(progress[0].toDispatch == 1)
        #expect(progress[0].confirmed == 0)
        #expect(progress[0].screened == 1)  // visited, then sent back: screened all the same (seed 004 annex 4)
        #expect(progress[0].screenedPercent == 100.0)
        #expect(progress[0].confirmedPercent == 0.0)
    }

    @Test("Dynamic-management ledger, interruptions and monthly statistics")
    func ledger() async throws {
        let log = try await CityLog()
        let model = try await Self.build(log)
        let cases = model.ledger()
        #expect(cases.count == 6)
        let open = cases.filter { $0.reason == .open }
        #expect(open.map(\.key) == [CityLog.b, CityLog.g].map { PersonKey.key($0.streamID)! })
        #expect(open[0].followUps == 5)
        #expect(open[0].opened == CityLog.at("2024-02-01"))
        func clearedCase(_ id: CitizenID) throws -> LedgerEntry { try #require(cases.first { $0.key == PersonKey.key(id.streamID)! }) }
        let a = try clearedCase(CityLog.a)
        #expect(a.reason == .enrolled)
        #expect(a.followUps == 2)
        #expect(a.cleared == CityLog.at("2024-01-15"))
        let f = try clearedCase(CityLog.f)
        #expect(f.cleared == CityLog.at("2024-02-01"))
        #expect(f.clearedPosition == 22)
        #expect(try clearedCase(CityLog.c).cleared == CityLog.at("2024-04-01"))
        #expect(model.ledger(includeCleared: false).count == 2)

        let interruptions = model.interruptions(at: Self.now)
        #expect(interruptions.count == 1)
        #expect(interruptions.first?.type == .employeePension)
        #expect(interruptions.first?.days == 121)

        let monthly = model.monthlyStatistics().filter { $0.area == "120101" }
        #expect(monthly.map(\.month) == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"])
        #expect(monthly.map(\.newFound) == [4, 1, 0, 1, 0])
        #expect(monthly.map(\.cleared) == [2, 1, 0, 1, 0])
        #expect(monthly.map(\.stillOpen) == [2, 2, 2, 2, 2])
        #expect(monthly.map(\.active) == [5, 7, 7, 8, 6])  // May: E's death ends two enrolments
        #expect(monthly.map(\.interrupted) == [0, 0, 1, 1, 1])
        #expect(monthly[2].interruptionPercent == 14.3)  // 1 / 7
    }

    @Test("Explain names the facts, by position, that put a person on the worklist and ledger")
    func explain() async throws {
        let log = try await CityLog()
        let events = try await log.store.readStream(CityLog.b.streamID)
        let explanation = try RegistryFold.explain(events)
        #expect(explanation.steps.map(\.position) == events.map(\.position))
        #expect(explanation.steps[0].changes.contains("ledger: case opened"))
        #expect(explanation.steps.contains { $0.changes.contains("survey task: rejected, sent back") && $0.actor == "operator:test" })
        #expect(explanation.conclusions.contains("should be insured but is not: missing medical, pension"))
        #expect(explanation.conclusions.contains { $0.hasPrefix("on the survey worklist: rejected, sent back") })
        #expect(explanation.conclusions.contains { $0.hasPrefix("on the ledger since position \(events[0].position)") })
        #expect(!explanation.person.contains(CityLog.b.value), "the full ID number must not be shown")
    }
}

extension RegistryFoldTests {
    @Test("Folding in staged runs (look-ahead, numbers found before the fold) equals folding each record alone")
    func stagedRunsEqualOneByOne() async throws {
        let store = InMemoryEventStore()
        _ = try await CitySimulation(.init(persons: 1_000, seed: 13)).load(into: store)
        var single = RegistryFold()
        for try await batch in store.readAll() { try batch.withRecords { for r in $0 { try single.apply(r) } } }
        #expect(single.eventsFolded > 3_000)
        for batchSize in [7, 128, 129, 5_000] {
            let staged = try await ProjectionEngine.rebuild(RegistryFold(), from: store, batchSize: batchSize)
            #expect(staged == single, "batches of \(batchSize)")
            let a = staged.checkpointBytes(), b = single.checkpointBytes()
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(a.count == b.count && first == nil, "batches of \(batchSize): \(a.count) vs \(b.count) bytes, first difference at \(String(describing: first)) of records at 44 + \(single.personCount * 64)")
        }
    }
}
