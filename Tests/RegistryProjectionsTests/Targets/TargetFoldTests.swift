import EventLog
import Foundation
import MemoryStore
import RegistryDomain
@testable import RegistryProjections
import Testing

/// Targets set and revised against a small log, figures by hand (residence basis):
/// - 120101: Q1, Q2, Q3 enrolled in employee pension (flexible employment) on 01-10, 02-10, 03-10; Q3 interrupted
///   04-05.
/// - 120102: R1, R2 enrolled 01-15, 02-15.
/// Targets for 2024-01..2024-12, employee pension contributors: 120101 4 (set 01-01), revised to 2 effective 03-01;
/// 120102 1 (set 01-01: above 100%). New enrolments 120101 2024-01..03: 4. Interruption ceiling 120101: 10%.
/// Registration rate 120101 (all types): 95%.
@Suite("Targets: actual, completion, gap, ranking, revisions")
struct TargetFoldTests {
    static func id(_ area: String, _ birth: String, _ sequence: String) -> CitizenID { CityLog.id(area, birth, sequence) }
    static let q1 = id("120101", "19800101", "101"), q2 = id("120101", "19800202", "112"), q3 = id("120101", "19800303", "123")
    static let r1 = id("120102", "19800404", "134"), r2 = id("120102", "19800505", "145")

    static func registered(_ p: CitizenID, _ area: String, _ date: String) -> String {
        EmployerLog.person(p, "PersonRegistered", date, #"{"citizenID":"\#(p.value)","employmentStatus":"employed","hukouAddress":"天津市","hukouDivision":"\#(area)","name":"张三","residenceAddress":"天津市某街道","residenceDivision":"\#(area)001001","source":"publicSecurity"}"#)
    }

    static func pension(_ p: CitizenID, _ date: String) -> String {
        EmployerLog.person(p, "PersonEnrolled", date, #"{"insuranceType":"employeePension","route":"flexibleEmployment"}"#)
    }

    static func target(_ area: String, _ type: String, _ kind: String, _ from: String, _ to: String, _ value: String, _ date: String) -> String {
        EmployerLog.line("target-" + area, "TargetSet", date, #"{"area":"\#(area)","from":"\#(from)","insuranceType":"\#(type)","kind":"\#(kind)","to":"\#(to)","value":\#(value)}"#, actor: "bureau:1201")
    }

    static var lines: [String] {
        [
            target("120101", "employeePension", "contributors", "2024-01", "2024-12", "4", "2024-01-01"),
            target("120102", "employeePension", "contributors", "2024-01", "2024-12", "1", "2024-01-01"),
            target("120101", "employeePension", "newEnrolments", "2024-01", "2024-03", "4", "2024-01-01"),
            target("120101", "employeePension", "interruptionRateCeiling", "2024-01", "2024-12", "10", "2024-01-01"),
            target("120101", "all", "registrationRate", "2024-01", "2024-12", "95", "2024-01-01"),
            registered(q1, "120101", "2024-01-05"), registered(q2, "120101", "2024-01-05"), registered(q3, "120101", "2024-01-05"),
            registered(r1, "120102", "2024-01-05"), registered(r2, "120102", "2024-01-05"),
            pension(q1, "2024-01-10"), pension(r1, "2024-01-15"), pension(q2, "2024-02-10"), pension(r2, "2024-02-15"), pension(q3, "2024-03-10"),
            target("120101", "employeePension", "contributors", "2024-01", "2024-12", "2", "2024-03-01"),
            EmployerLog.person(q3, "ContributionInterrupted", "2024-04-05", #"{"insuranceType":"employeePension","reasonCode":"stopped-paying"}"#),
        ]
    }

    static func store() async throws -> InMemoryEventStore {
        let store = InMemoryEventStore()
        let report = try await JSONLinesImporter(store: store).importLines(lines)
        let accepted = report.lines.allSatisfy(\.isInLog)
        #expect(accepted, "every line is accepted: \(report)")
        return store
    }

    static let settings = ProjectionSettings(areaBasis: .residence)

    static func progress(_ store: InMemoryEventStore, asOf: String) async throws -> [TargetProgressRow] {
        let cutoff = ReplayCutoff(effectiveBy: LifeEventsTests.at(asOf))
        let pair = try await ProjectionEngine.rebuild(
            ProjectionPair(TargetFold(settings: settings, cutoff: cutoff), RegistryFold(settings: settings, cutoff: cutoff)), from: store, batchSize: 3)
        return pair.first.progress(at: cutoff.evaluationTime, coverage: pair.second)
    }

    static func row(_ rows: [TargetProgressRow], _ area: String, _ kind: TargetKind, total: Bool = false) throws -> TargetProgressRow {
        try #require(rows.first { $0.area == area && $0.kind == kind && $0.isTotal == total })
    }

    @Test("As of a day before the revision: the first figure, completion, gap, ranking and the parent total")
    func beforeRevision() async throws {
        let rows = try await Self.progress(try await Self.store(), asOf: "2024-02-29")
        let a = try Self.row(rows, "120101", .contributors), b = try Self.row(rows, "120102", .contributors)
        #expect((a.target, a.actual, a.completionPercent, a.gap, a.met) == (4, 2, 50.0, 2, false))
        #expect(a.revisions == 1)
        #expect((b.target, b.actual, b.completionPercent, b.gap, b.met) == (1, 2, 200.0, -1, true))  // above 100%
        #expect(b.rank == 1 && a.rank == 2)
        let total = try Self.row(rows, "120100", .contributors, total: true)
        #expect((total.target, total.actual, total.completionPercent, total.rank) == (5, 4, 80.0, nil))
        // The total comes first, then its areas by code.
        let contributorRows = rows.filter { $0.kind == .contributors }
        #expect(contributorRows.map(\.area) == ["120100", "120101", "120102"])
    }

    @Test("After the revision the new figure is in force; both stay in history")
    func afterRevision() async throws {
        let store = try await Self.store()
        let rows = try await Self.progress(store, asOf: "2024-04-30")
        let a = try Self.row(rows, "120101", .contributors), b = try Self.row(rows, "120102", .contributors)
        // Q3 interrupted: Q1 and Q2 pay.
        #expect((a.target, a.actual, a.completionPercent, a.gap, a.met) == (2, 2, 100.0, 0, true))
        #expect(a.revisions == 2 && a.since == "2024-03-01")
        #expect(b.completionPercent == 200.0)
        #expect(try Self.row(rows, "120100", .contributors, total: true).completionPercent == 133.3)
        let history = try await ProjectionEngine.rebuild(TargetFold(settings: Self.settings), from: store).targetHistory()
        let contributors = try #require(history.first { $0.target.kind == .contributors && $0.target.area.value == "120101" })
        #expect(contributors.revisions.map(\.value) == [4, 2])
    }

    @Test("New enrolments in the period, an interruption-rate ceiling, and a rate from the coverage view")
    func otherKinds() async throws {
        let rows = try await Self.progress(try await Self.store(), asOf: "2024-04-30")
        let n = try Self.row(rows, "120101", .newEnrolments)
        #expect((n.target, n.actual, n.completionPercent, n.gap) == (4, 3, 75.0, 1))
        // 1 of 3 active employee-pension enrolments interrupted: 33.3% against a 10% ceiling.
        let c = try Self.row(rows, "120101", .interruptionRateCeiling)
        #expect((c.target, c.actual, c.completionPercent, c.met) == (10, 33.3, 30.0, false))
        #expect(abs(c.gap - 23.3) < 1e-9)
        let r = try Self.row(rows, "120101", .registrationRate)
        #expect((r.actual, r.completionPercent, r.met) == (100, 105.3, true))
        // Rates and ceilings get no parent total.
        #expect(!rows.contains { $0.isTotal && $0.kind.isRate })
    }

    @Test("The monthly series per area: contributors at month end, new enrolments, interruptions, coverage")
    func series() async throws {
        let store = try await Self.store()
        let from = YearMonth(iso: "2024-01")!, to = YearMonth(iso: "2024-04")!
        let pair = try await ProjectionEngine.rebuild(
            ProjectionPair(TargetFold(settings: Self.settings), MonthEndCoverage(settings: Self.settings, from: from, to: to)), from: store)
        let points = pair.first.series(level: .county, type: .employeePension, from: from, to: to, coverageAtMonthEnd: pair.second.folds)
        let a = points.filter { $0.area == "120101" }
        #expect(a.map(\.month) == ["2024-01", "2024-02", "2024-03", "2024-04"])
        #expect(a.map(\.contributors) == [1, 2, 3, 2])
        #expect(a.map(\.newEnrolments) == [1, 1, 1, 0])
        #expect(a.map(\.interruptions) == [0, 0, 0, 1])
        #expect(a.map(\.interruptionPercent) == [0.0, 0.0, 0.0, 33.3])
        // Each month's coverage rate is the coverage view's on that month's last day.
        for p in a {
            let month = YearMonth(iso: p.month)!
            let view = try await ProjectionEngine.rebuild(RegistryFold(settings: Self.settings, cutoff: ReplayCutoff(effectiveBy: LifeEventsTests.at(month.lastDay.description))), from: store)
            #expect(p.coveragePercent == view.coverage(level: .county, at: LifeEventsTests.at(month.lastDay.description)).first { $0.area == "120101" && $0.type == .employeePension }?.coveragePercent)
        }
        #expect(points.filter { $0.area == "120102" }.map(\.contributors) == [1, 2, 2, 2])
    }

    @Test("A target's period must run forwards and a rate stay at most 100: refused, nothing appended")
    func badTargets() async throws {
        let store = try await Self.store()
        let head = try await store.headPosition()
        let report = try await JSONLinesImporter(store: store).importLines([
            Self.target("120101", "all", "coverageRate", "2024-01", "2024-12", "120", "2024-05-01"),
            Self.target("120101", "all", "contributors", "2024-12", "2024-01", "5", "2024-05-01"),
        ])
        #expect(report.lines.allSatisfy { !$0.isInLog })
        #expect("\(report.lines)".contains("invalid-target"))
        #expect(try await store.headPosition() == head)
    }
}
