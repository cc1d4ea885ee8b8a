import EventLog
import Foundation
import MemoryStore
import RegistryDomain
@testable import RegistryProjections
import Testing

@Suite("Employer coverage and screening")
struct EmployerFoldTests {
    typealias L = EmployerLog

    static func fold(_ store: InMemoryEventStore, settings: EmployerSettings = .standard, asOf: String? = nil) async throws -> EmployerFold {
        let cutoff = asOf.map { ReplayCutoff(effectiveBy: LifeEventsTests.at($0)) } ?? .none
        return try await ProjectionEngine.rebuild(EmployerFold(settings: settings, cutoff: cutoff), from: store, batchSize: 5)
    }

    static func row(_ fold: EmployerFold, _ code: CreditCode) throws -> EmployerCoverageRow {
        try #require(fold.employerCoverage().first { $0.creditCode == code.value })
    }

    @Test("Every figure of the employer coverage view, by hand")
    func coverageFigures() async throws {
        let fold = try await Self.fold(try await L.store())
        // E1: staff P1 P2 P3 P4 P8 (P5 died, P9's finding ended); P1-P4 named by sources; enrolled P1 P2 P8.
        let e1 = try Self.row(fold, L.e1)
        #expect(e1.name == "天津甲制造有限公司" && e1.area == "120101" && e1.registered && e1.insuredUnit)
        #expect(e1.staff == 5 && e1.fromSources == 4 && e1.enrolled == 3)
        #expect(e1.enrolledByType.map(\.count) == [3, 2, 1, 1, 1])  // pension P1 P2 P8; medical P1 P2; the rest P1
        #expect(e1.enrolledByType.map(\.type) == [.employeePension, .employeeMedical, .workInjury, .unemployment, .maternity])
        #expect(e1.notEnrolled == 2)  // P3, and P4 (enrolled through E3, not E1)
        #expect(e1.selective == 2)  // P2 (2 of 5), P8 (1 of 5)
        #expect(e1.coveragePercent == 60.0)
        // E2: P6 P7, named by tax, nobody enrolled.
        let e2 = try Self.row(fold, L.e2)
        #expect((e2.staff, e2.fromSources, e2.enrolled, e2.notEnrolled, e2.selective) == (2, 2, 0, 2, 0))
        #expect(e2.coveragePercent == 0.0 && !e2.insuredUnit)
        // E3: P4 by enrolment only: enrolled, selective, no source names it.
        let e3 = try Self.row(fold, L.e3)
        #expect((e3.staff, e3.fromSources, e3.enrolled, e3.notEnrolled, e3.selective) == (1, 0, 1, 0, 1))
        #expect(e3.enrolledByType.map(\.count) == [1, 0, 0, 0, 0])
        // E4: P10.
        let e4 = try Self.row(fold, L.e4)
        #expect((e4.staff, e4.enrolled, e4.notEnrolled) == (1, 0, 1))
        // Totals by county.
        let areas = fold.employerCoverageByArea()
        #expect(areas.map(\.area) == ["120101", "120102"])
        let a1 = areas[0], a2 = areas[1]
        #expect([a1.employers, a1.registered, a1.insuredUnits, a1.withUnenrolled, a1.staff, a1.enrolled, a1.notEnrolled, a1.selective] as [Int] == [2, 2, 1, 1, 6, 4, 2, 3])
        #expect([a2.employers, a2.registered, a2.insuredUnits, a2.withUnenrolled, a2.staff, a2.enrolled, a2.notEnrolled, a2.selective] as [Int] == [2, 2, 0, 2, 3, 0, 3, 0])
        #expect(a1.coveragePercent == 66.7)
    }

    @Test("As of a date: before P5's death and P9's ended finding they are staff; before the enrolments nobody is enrolled")
    func asOfDates() async throws {
        let store = try await L.store()
        let feb5 = try Self.row(try await Self.fold(store, asOf: "2024-02-05"), L.e1)
        // P1-P5 and P9 named by sources; no enrolment yet: all six un-enrolled.
        #expect((feb5.staff, feb5.fromSources, feb5.enrolled, feb5.notEnrolled, feb5.selective) == (6, 6, 0, 6, 0))
        let feb20 = try Self.row(try await Self.fold(store, asOf: "2024-02-20"), L.e1)
        // P5 died that day; P9 still named; P8 enrolled.
        #expect((feb20.staff, feb20.enrolled, feb20.notEnrolled) == (6, 3, 3))
    }

    @Test("Which employers land on the worklist and why, with N configurable")
    func worklistRules() async throws {
        let store = try await L.store()
        // Before any task (as of 2024-02-28), N = 2: E1 (2 un-enrolled); E2 (all three rules); E4 (never insured).
        // E3 is not: nobody un-enrolled, and someone is enrolled through it, so it is not "never insured".
        let before = try await Self.fold(store, settings: EmployerSettings(minimumUnenrolled: 2), asOf: "2024-02-28")
        let list = before.screeningWorklist()
        #expect(list.map(\.creditCode) == [L.e1.value, L.e2.value, L.e4.value])
        #expect(list.map(\.state) == ["toDispatch", "toDispatch", "toDispatch"])
        #expect(list[0].reasons == [.unenrolledStaff])
        #expect(list[1].reasons == [.unenrolledStaff, .neverInsured, .suspectedLabourDispatch])
        #expect(list[2].reasons == [.neverInsured])
        #expect(list.map(\.persons) == [2, 2, 1])
        // The default N = 50 (seed 004): E1 drops out; E2 stays (never insured, labour dispatch), E4 too.
        let standard = try await Self.fold(store, asOf: "2024-02-28").screeningWorklist()
        #expect(standard.map(\.creditCode) == [L.e2.value, L.e4.value])
        #expect(standard[0].reasons == [.neverInsured, .suspectedLabourDispatch])
        // A keyword rule without the name's words: E2 is no longer suspected.
        let plain = EmployerSettings(labourDispatch: LabourDispatchRule(nameKeywords: ["人力资源"]))
        #expect(try await Self.fold(store, settings: plain, asOf: "2024-02-28").screeningWorklist()[0].reasons == [.neverInsured])
        // What dispatch would issue: one task per employer, to its county, covering its un-enrolled staff.
        let issue = before.screeningToDispatch()
        #expect(issue.map(\.employer) == [L.e1, L.e2, L.e4])
        #expect(issue.map(\.task.division.value) == ["120101", "120102", "120102"])
        #expect(issue.map(\.task.persons) == [2, 2, 1])
    }

    @Test("Open tasks are listed with their states; progress by units and by persons")
    func tasksAndProgress() async throws {
        let fold = try await Self.fold(try await L.store(), settings: EmployerSettings(minimumUnenrolled: 2))
        let list = fold.screeningWorklist()
        #expect(list.map(\.creditCode) == [L.e1.value, L.e2.value, L.e4.value])
        #expect(list.map(\.state) == ["confirmed", "referred", "issued"])
        #expect(list.map(\.taskID?.uuidString) == [L.t1, L.t2, L.t4])
        // 120101: T1 issued 1 unit / 2 persons, screened 1 / 2. 120102: T2 and T4 issued 2 units / 3 persons; T2
        // screened: 1 unit / 2 persons. Total 3 / 5 issued, 2 / 4 screened.
        let progress = fold.screeningProgress()
        #expect(progress.map(\.area) == ["total", "120101", "120102"])
        let total = progress[0], a1 = progress[1], a2 = progress[2]
        #expect((total.issuedUnits, total.issuedPersons, total.screenedUnits, total.screenedPersons) == (3, 5, 2, 4))
        #expect(total.screenedUnitsPercent == 66.7 && total.screenedPersonsPercent == 80.0)
        #expect((a1.issuedUnits, a1.issuedPersons, a1.screenedUnits, a1.screenedPersons, a1.confirmed) == (1, 2, 1, 2, 1))
        #expect(a1.screenedUnitsPercent == 100.0)
        #expect((a2.issuedUnits, a2.issuedPersons, a2.screenedUnits, a2.screenedPersons, a2.referred) == (2, 3, 1, 2, 1))
        #expect(a2.screenedUnitsPercent == 50.0 && a2.screenedPersonsPercent == 66.7)
        #expect(progress.allSatisfy { $0.toDispatch == 0 })
    }

    @Test("A screening step the state machine refuses is rejected by the import and appends nothing")
    func refusedStep() async throws {
        let store = try await L.store()
        let head = try await store.headPosition()
        let report = try await JSONLinesImporter(store: store).importLines([
            L.employerFact(L.e4, "EmployerScreeningRecorded", "2024-04-01", #"{"outcome":"referredToInspection","taskID":"\#(L.t4)"}"#),
            L.employerFact(L.e3, "EmployerScreeningRecorded", "2024-04-01", #"{"outcome":"visited","taskID":"\#(L.t4)"}"#),
        ])
        #expect(report.lines.map(\.isInLog) == [false, false])
        #expect("\(report.lines[0])".contains("screening-step-not-allowed"))
        #expect("\(report.lines[1])".contains("unknown-screening-task"))
        #expect(try await store.headPosition() == head)
    }

    @Test("Explain an employer: each fact and what it changed, then the figures and the rules it meets")
    func explain() async throws {
        let store = try await L.store()
        let fold = try await Self.fold(store, settings: EmployerSettings(minimumUnenrolled: 2))
        let explanation = try fold.explain(L.e2, events: try await store.readStream(.employer(L.e2)))
        #expect(explanation.steps.map(\.type) == ["EmployerRegistered", "EmployerScreeningDispatched", "EmployerScreeningRecorded",
                                                   "EmployerScreeningRecorded", "EmployerScreeningRecorded"])
        #expect(explanation.steps[0].changes == ["registered in 120102"])
        #expect(explanation.steps[4].changes == ["task 7D444840 confirmed -> referred"])
        #expect(explanation.conclusions[0] == "staff 2 (2 named by sources), enrolled through it 0, not enrolled 2, selective 0")
        #expect(explanation.conclusions[2] == "meets the screening rules: unenrolledStaff, neverInsured, suspectedLabourDispatch")
        #expect(explanation.conclusions[3] == "task 7D444840: referred, 2 persons, 2 confirmed")
    }
}

@Suite("Employer staff follow resumptions")
struct EmployerResumptionTests {
    typealias L = EmployerLog

    @Test("An interruption keeps the enrolment through the employer; resuming as a flexible worker ends it")
    func resumedElsewhere() async throws {
        let store = try await L.store()
        let report = try await JSONLinesImporter(store: store).importLines([
            L.person(L.p8, "ContributionInterrupted", "2024-04-01", #"{"insuranceType":"employeePension","reasonCode":"left-employer"}"#),
            L.person(L.p8, "ContributionResumed", "2024-05-01", #"{"insuranceType":"employeePension","route":"flexibleEmployment"}"#),
        ])
        #expect(report.lines.allSatisfy { $0.isInLog })
        let april = try EmployerFoldTests.row(try await EmployerFoldTests.fold(store, asOf: "2024-04-15"), L.e1)
        #expect((april.staff, april.enrolled, april.selective) == (5, 3, 2))  // interrupted still counts as enrolled through E1
        let may = try EmployerFoldTests.row(try await EmployerFoldTests.fold(store), L.e1)
        // P8 pays as a flexible worker now: no source names E1 for P8, so P8 is no longer E1's staff.
        #expect((may.staff, may.enrolled, may.notEnrolled, may.selective) == (4, 2, 2, 1))
        #expect(may.enrolledByType.map(\.count) == [2, 2, 1, 1, 1])
    }
}
