import EventLog
import Foundation
import MemoryStore
import RegistryDomain
@testable import RegistryProjections
import Testing

/// Life events counted the same way in every view, on a log built through the public JSON Lines import (rules on).
///
/// Nine people of county 120101 (born 1980-1987, except Y, born 2008-05-10), figures worked out by hand:
/// - D: resident medical and pension 01-05; civil-affairs death 03-10; a termination for death 03-20 (accepted).
/// - K: registered 01-06, never enrolled (a case opens); a `deceased` mark 02-15 clears it as deceased.
/// - M: registered 01-07 in 120101, never enrolled; moves to 120102 on 04-15: the case moves with M.
/// - Y: registered 01-08, resident medical the same day (15 years old: nothing else owed); turns 16 on 05-10, when
///   a pension is owed: a case opens on the birthday, with no fact that day.
/// - T: two survey tasks (02-01, 02-05); a visit recorded on the first (02-10).
/// - W: an employee with employee pension and medical (no work injury: a case stays open); both transferred out
///   on 03-05: insured elsewhere, the case cleared.
/// - G: an employee, three employee schemes through an agency in 120103 (01-11).
/// - J: registered 01-12, never enrolled; marked imprisoned 02-01 (case cleared), released 04-01 (a new case).
/// - H: registered 01-13 with a residence but no known hukou division.
@Suite("Life events in every view")
struct LifeEventsTests {
    static func id(_ birth: String, _ sequence: String) -> CitizenID { CityLog.id("120101", birth, sequence) }
    static let d = id("19800101", "101"), k = id("19810202", "112"), m = id("19820303", "123"), y = id("20080510", "134")
    static let t = id("19830404", "145"), w = id("19840505", "156"), g = id("19860707", "178"), j = id("19870808", "189")
    static let h = id("19850606", "167")
    static let task1 = "7D444840-9DC0-11D1-B245-5FFDCE74F001", task2 = "7D444840-9DC0-11D1-B245-5FFDCE74F002"
    static let employer = "91350100M000100Y43"

    static func line(_ person: CitizenID, _ type: String, _ date: String, _ data: String, actor: String = "operator:ops-1") -> String {
        #"{"actor":"\#(actor)","data":\#(data),"effective":"\#(date)","id":"\#(UUID().uuidString)","stream":"person-\#(person.value)","type":"\#(type)","version":\#(type == "PersonEnrolled" ? 2 : 1)}"#
    }

    static func registered(_ p: CitizenID, _ date: String, residence: String = "120101001001", hukou: String? = "120101",
                           employment: String = "unemployed") -> String {
        let hukouField = hukou.map { #","hukouDivision":"\#($0)""# } ?? ""
        return line(p, "PersonRegistered", date, #"{"citizenID":"\#(p.value)","employmentStatus":"\#(employment)","hukouAddress":"天津市和平区"\#(hukouField),"name":"张三","residenceAddress":"天津市和平区某街道","residenceDivision":"\#(residence)","source":"publicSecurity"}"#)
    }

    static func enrolled(_ p: CitizenID, _ type: String, _ date: String, agency: String? = nil) -> String {
        let employerRoute = type.hasPrefix("employee") || type == "workInjury"
        let division = agency.map { #","division":"\#($0)""# } ?? ""
        let route = employerRoute ? #""employer":"\#(employer)","insuranceType":"\#(type)","route":"employer""# : #""insuranceType":"\#(type)","route":"resident""#
        return line(p, "PersonEnrolled", date, "{" + route + division + "}")
    }

    static var lines: [String] {
        [
            registered(d, "2024-01-05"), enrolled(d, "residentMedical", "2024-01-05"), enrolled(d, "residentPension", "2024-01-05"),
            registered(k, "2024-01-06"),
            registered(m, "2024-01-07"),
            registered(y, "2024-01-08"), enrolled(y, "residentMedical", "2024-01-08"),
            registered(t, "2024-01-09"),
            registered(w, "2024-01-10", employment: "employed"), enrolled(w, "employeePension", "2024-01-10"), enrolled(w, "employeeMedical", "2024-01-10"),
            registered(g, "2024-01-11", employment: "employed"), enrolled(g, "employeePension", "2024-01-11", agency: "120103"),
            enrolled(g, "employeeMedical", "2024-01-11", agency: "120103"), enrolled(g, "workInjury", "2024-01-11", agency: "120103"),
            registered(j, "2024-01-12"),
            registered(h, "2024-01-13", hukou: nil),
            line(t, "SurveyTaskDispatched", "2024-02-01", #"{"division":"120101001001","reason":"unenrolledAfterComparison","taskID":"\#(task1)"}"#),
            line(j, "StatusMarked", "2024-02-01", #"{"mark":"imprisoned","reasonCode":"P01"}"#),
            line(t, "SurveyTaskDispatched", "2024-02-05", #"{"division":"120101001001","reason":"newlyUnenrolled","taskID":"\#(task2)"}"#),
            line(t, "SurveyObservationRecorded", "2024-02-10", #"{"deviceID":"PAD-1","name":"李四","certificateNumber":"\#(t.value)","hukouPlace":"天津市","outcome":"completed","residence":"天津市和平区","sex":"male","surveyorIDs":["S-1"],"taskID":"\#(task1)","visitedAt":"2024-02-10T10:00:00Z"}"#, actor: "surveyor:S-1"),
            line(k, "StatusMarked", "2024-02-15", #"{"mark":"deceased","reasonCode":"D02"}"#),
            line(w, "EnrolmentTransferredOut", "2024-03-05", #"{"destination":"440300","insuranceType":"employeePension"}"#),
            line(w, "EnrolmentTransferredOut", "2024-03-05", #"{"destination":"440300","insuranceType":"employeeMedical"}"#),
            line(d, "SourceObservationRecorded", "2024-03-10", #"{"department":"civilAffairs","finding":"deceased"}"#, actor: "source:civilAffairs"),
            line(d, "EnrolmentTerminated", "2024-03-20", #"{"insuranceType":"residentPension","reason":"death"}"#),
            line(j, "StatusMarkWithdrawn", "2024-04-01", #"{"mark":"imprisoned","reasonCode":"P90"}"#),
            line(m, "PersonDataCorrected", "2024-04-15", #"{"basis":"personalDeclaration","corrections":[{"field":"residenceDivision","value":"120102001001"}]}"#),
        ]
    }

    static func store() async throws -> InMemoryEventStore {
        let store = InMemoryEventStore()
        let report = try await JSONLinesImporter(store: store).importLines(lines)
        let rejected = report.lines.filter { !$0.isInLog }
        #expect(rejected.isEmpty, "every line is accepted: \(rejected)")
        return store
    }

    static func at(_ date: String) -> Timestamp { Timestamp(iso8601: date + "T23:59:59+08:00")! }

    static func fold(_ store: InMemoryEventStore, settings: ProjectionSettings = .standard, asOf: String? = nil) async throws -> RegistryFold {
        let cutoff = asOf.map { ReplayCutoff(effectiveBy: at($0)) } ?? .none
        return try await ProjectionEngine.rebuild(RegistryFold(settings: settings, cutoff: cutoff), from: store, batchSize: 4)
    }

    static func row(_ rows: [CoverageRow], _ area: String, _ type: InsuranceType? = nil) -> CoverageRow? {
        rows.first { $0.area == area && $0.type == type }
    }

    static func key(_ p: CitizenID) -> UInt64 { PersonKey.key(p.streamID)! }

    @Test("Death ends every enrolment, clears the case as deceased, and a termination for death is accepted")
    func death() async throws {
        let store = try await Self.store()
        let fold = try await Self.fold(store)
        let now = Self.at("2024-06-30")
        let medical = try #require(Self.row(fold.coverage(level: .county, at: now), "120101", .residentMedical))
        #expect(medical.enrolled == 1)  // Y; D's enrolment ended with the death
        let ledger = fold.ledger(at: now)
        #expect(ledger.first { $0.key == Self.key(Self.k) }?.reason == .deceased)
        #expect(ledger.first { $0.key == Self.key(Self.k) }?.cleared == Timestamp(iso8601: "2024-02-15T00:00:00+08:00"))
        #expect(!fold.worklist(at: now).contains { $0.key == Self.key(Self.d) || $0.key == Self.key(Self.k) })
        #expect(!ledger.contains { $0.key == Self.key(Self.d) && $0.reason == .open })
        // Active enrolments in 120101: D 2, Y 1, W 2, G 3 = 8 at the end of February; in March W's two leave with the
        // transfer and D's two end with the death (the termination for death changes nothing more): 4.
        let monthly = fold.monthlyStatistics(at: now).filter { $0.area == "120101" }
        #expect(monthly.first { $0.month == "2024-02" }?.active == 8)
        #expect(monthly.first { $0.month == "2024-03" }?.active == 4)
        let explanation = try RegistryFold.explain(try await store.readStream(Self.d.streamID))
        #expect(explanation.steps.contains { $0.type == "SourceObservationRecorded" && $0.changes.contains("residentMedical: enrolled → terminated") })
        #expect(explanation.conclusions.contains { $0.hasPrefix("exempt: deceased") })
    }

    @Test("A move counts the person, and their open case, in the new county from the move's date")
    func move() async throws {
        let store = try await Self.store()
        let fold = try await Self.fold(store)
        let april = Self.at("2024-04-30"), march = Self.at("2024-03-31")
        let before = try await Self.fold(store, asOf: "2024-03-31").coverage(level: .county, at: march)
        let after = try await Self.fold(store, asOf: "2024-04-30").coverage(level: .county, at: april)
        #expect(Self.row(before, "120102") == nil)
        #expect(Self.row(after, "120102")?.notEnrolled == 1)
        let m = try #require(fold.ledger(at: april).first { $0.key == Self.key(Self.m) })
        #expect(m.reason == .open)
        #expect(m.area == "120102")
        #expect(m.moves == 1)
        #expect(m.opened == Timestamp(iso8601: "2024-01-07T00:00:00+08:00"))  // the case keeps its history
        let monthly = fold.monthlyStatistics(at: april)
        #expect(monthly.first { $0.area == "120101" && $0.month == "2024-04" }?.movedOut == 1)
        #expect(monthly.first { $0.area == "120102" && $0.month == "2024-04" }?.movedIn == 1)
        #expect(monthly.first { $0.area == "120102" && $0.month == "2024-04" }?.stillOpen == 1)
        let entry = try #require(fold.worklist(at: april).first { $0.key == Self.key(Self.m) })
        #expect(Area.name(entry.division, level: .county) == "120102")
    }

    @Test("Ages are taken on the view's day: turning 16 owes a pension, and the ledger opens a case on the birthday")
    func birthday() async throws {
        let store = try await Self.store()
        let fold = try await Self.fold(store)
        let april = Self.at("2024-04-30"), june = Self.at("2024-06-30")
        #expect(!fold.worklist(at: april).contains { $0.key == Self.key(Self.y) })
        let y = try #require(fold.worklist(at: june).first { $0.key == Self.key(Self.y) })
        #expect(y.state == .toDispatch)
        #expect(y.unmet == ["pension"])
        #expect(!fold.ledger(at: april).contains { $0.key == Self.key(Self.y) && $0.reason == .open })
        let yCase = try #require(fold.ledger(at: june).first { $0.key == Self.key(Self.y) && $0.reason == .open })
        #expect(yCase.opened == Timestamp(iso8601: "2024-05-10T00:00:00+08:00"))
        #expect(yCase.openedPosition == 0)  // no fact that day: the birthday opened it
        #expect(fold.monthlyStatistics(at: june).first { $0.area == "120101" && $0.month == "2024-05" }?.newFound == 1)
        let conclusions = try RegistryFold.explain(try await store.readStream(Self.y.streamID),
                                                   cutoff: ReplayCutoff(effectiveBy: june)).conclusions
        #expect(conclusions.contains { $0.hasPrefix("on the ledger since a birthday (2024-05-10)") })
    }

    @Test("Every survey task is its own row with its own state, and progress counts every task")
    func severalTasks() async throws {
        let fold = try await Self.fold(try await Self.store())
        let now = Self.at("2024-06-30")
        let rows = fold.worklist(at: now).filter { $0.key == Self.key(Self.t) }
        #expect(Set(rows.map(\.state)) == [.visited, .dispatched])
        let progress = try #require(fold.worklistProgress(level: .county, at: now).first { $0.area == "120101" })
        #expect(progress.issued == 2)
        #expect(progress.screened == 1)
        #expect(progress.screenedPercent == 50.0)
        #expect(progress.confirmedPercent == 0.0)
        #expect(progress.toDispatch == 3)  // Y, H, J: not exempt, owing, no task (M counts in 120102)
    }

    @Test("Who should hold each type follows that type's eligibility; a full transfer out is insured elsewhere")
    func eligibilityAndTransfers() async throws {
        let store = try await Self.store()
        let fold = try await Self.fold(store)
        let now = Self.at("2024-06-30")
        let rows = fold.coverage(level: .county, at: now)
        // Employees: W (exempt after the transfer) and G: only G should hold maternity, unemployment, work injury.
        #expect(Self.row(rows, "120101", .maternity)?.shouldBeInsured == 1)
        #expect(Self.row(rows, "120101", .maternity)?.notEnrolled == 1)
        #expect(Self.row(rows, "120101", .workInjury)?.shouldBeInsured == 1)
        #expect(Self.row(rows, "120101", .workInjury)?.coveragePercent == 100.0)
        // Resident pension: 16-59, not employees, not exempt: Y T H J (D, K deceased; W insured elsewhere).
        #expect(Self.row(rows, "120101", .residentPension)?.shouldBeInsured == 4)
        #expect(Self.row(rows, "120101", .residentPension)?.notEnrolled == 4)
        let wCase = try #require(fold.ledger(at: now).first { $0.key == Self.key(Self.w) })
        #expect(wCase.reason == .insuredElsewhere)
        #expect(wCase.cleared == Timestamp(iso8601: "2024-03-05T00:00:00+08:00"))
        #expect(!fold.worklist(at: now).contains { $0.key == Self.key(Self.w) })
        let all = try #require(Self.row(rows, "120101"))
        #expect(all.exempt == 3)  // D K W
    }

    @Test("The hukou basis counts a person with no known hukou as unknown; the agency basis where they are insured")
    func bases() async throws {
        let store = try await Self.store()
        let now = Self.at("2024-06-30")
        let hukou = try await Self.fold(store, settings: ProjectionSettings(areaBasis: .hukou)).coverage(level: .county, at: now)
        #expect(Self.row(hukou, "unknown")?.known == 1)  // H
        #expect(Self.row(hukou, "unknown")?.notEnrolled == 1)
        #expect(Self.row(hukou, "120101")?.known == 8)  // M's hukou stays in 120101
        let agency = try await Self.fold(store, settings: ProjectionSettings(areaBasis: .insuringAgency)).coverage(level: .county, at: now)
        #expect(Self.row(agency, "120103")?.known == 1)  // G, insured through an agency in 120103
        #expect(Self.row(agency, "120103", .employeePension)?.enrolled == 1)
        #expect(Self.row(agency, "120101", .employeePension)?.enrolled == 0)
    }

    @Test("A withdrawn mark ends the exemption: the released prisoner is on the ledger again")
    func withdrawnMark() async throws {
        let fold = try await Self.fold(try await Self.store())
        let cases = fold.ledger(at: Self.at("2024-06-30")).filter { $0.key == Self.key(Self.j) }
        #expect(cases.map(\.reason).sorted { $0.rawValue < $1.rawValue } == [.open, .imprisoned])
        #expect(cases.first { $0.reason == .open }?.opened == Timestamp(iso8601: "2024-04-01T00:00:00+08:00"))
    }

    @Test("The views agree at every month end, per county: not enrolled = open ledger cases = monthly still open")
    func viewsAgree() async throws {
        let store = try await Self.store()
        let full = try await Self.fold(store)
        let monthly = full.monthlyStatistics(at: Self.at("2024-06-30"))
        // Worked by hand for 120101: January K M T W J H open (D Y G cleared the day they opened); February K and J
        // cleared; March W; April J again, M leaves; May Y's birthday.
        let expected: [String: [String: Int]] = [
            "120101": ["2024-01-31": 6, "2024-02-29": 4, "2024-03-31": 3, "2024-04-30": 3, "2024-05-31": 4, "2024-06-30": 4],
            "120102": ["2024-01-31": 0, "2024-02-29": 0, "2024-03-31": 0, "2024-04-30": 1, "2024-05-31": 1, "2024-06-30": 1],
        ]
        for (county, byDay) in expected {
            for (day, count) in byDay {
                let asOf = try await Self.fold(store, asOf: day)
                let notEnrolled = Self.row(asOf.coverage(level: .county, at: Self.at(day)), county)?.notEnrolled ?? 0
                let openCases = asOf.ledger(at: Self.at(day), includeCleared: false).filter { $0.area == county }.count
                let month = String(day.prefix(7))
                let stillOpen = monthly.last { $0.area == county && $0.month <= month }?.stillOpen ?? 0
                #expect(notEnrolled == count, "\(county) \(day): not enrolled")
                #expect(openCases == count, "\(county) \(day): open cases")
                #expect(stillOpen == count, "\(county) \(day): still open")
            }
        }
    }
}

/// Facts recorded out of order of their effective dates (a comparison run records an enrolment effective in
/// February after a registration effective in March): the ledger never clears a case before it opened, and no
/// month's still-open count goes below zero.
@Suite("Back-dated facts in the ledger")
struct BackDatedFactsTests {
    @Test("An enrolment effective before the registration clears the case in the registration's month")
    func backDated() async throws {
        let p = CityLog.id("120101", "19800303", "201"), q = CityLog.id("120101", "19810404", "212")
        let lines = [
            LifeEventsTests.registered(p, "2024-03-31"),
            LifeEventsTests.registered(q, "2024-03-31"),
            LifeEventsTests.enrolled(p, "residentMedical", "2024-02-15"),
            LifeEventsTests.enrolled(p, "residentPension", "2024-02-15"),
        ]
        let store = InMemoryEventStore()
        let report = try await JSONLinesImporter(store: store).importLines(lines)
        #expect(report.lines.allSatisfy { $0.isInLog }, "every line is accepted")
        let fold = try await ProjectionEngine.rebuild(RegistryFold(), from: store)
        let monthly = fold.monthlyStatistics(at: LifeEventsTests.at("2024-06-30")).filter { $0.area == "120101" }
        #expect(monthly.allSatisfy { $0.stillOpen >= 0 }, "\(monthly)")
        #expect(monthly.map(\.month) == ["2024-02", "2024-03"])  // February: the enrolments; March: the cases
        #expect(monthly.last?.newFound == 2)
        #expect(monthly.last?.cleared == 1)
        #expect(monthly.last?.stillOpen == 1)  // q
        let cleared = try #require(fold.ledger().first { $0.key == PersonKey.key(p.streamID) })
        #expect(cleared.reason == .enrolled)
        #expect(cleared.cleared == Timestamp(iso8601: "2024-03-31T00:00:00+08:00"))  // not before it opened
        for day in ["2024-02-29", "2024-03-31"] {
            let asOf = try await ProjectionEngine.rebuild(RegistryFold(cutoff: ReplayCutoff(effectiveBy: LifeEventsTests.at(day))), from: store)
            let notEnrolled = asOf.coverage(level: .county, at: LifeEventsTests.at(day)).first { $0.area == "120101" && $0.type == nil }?.notEnrolled ?? 0
            let stillOpen = monthly.last { $0.month <= String(day.prefix(7)) }?.stillOpen ?? 0
            #expect(notEnrolled == stillOpen, "\(day)")
        }
    }
}
