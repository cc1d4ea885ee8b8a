import EventLog
import Foundation
import MemoryStore
import RegistryDomain
import Testing

/// A hand-built log of employers, staff and partial enrolment, imported through the public JSON Lines import (rules
/// on). Figures worked out by hand:
///
/// Employers: E1 甲制造 (registered 120101, insured unit), E2 乙劳务派遣 (120102, never insured: labour dispatch by
/// name), E3 丙商贸 (120101, no insured unit, but P4 is enrolled through it), E4 丁餐饮 (120102, never insured).
///
/// - P1: tax names E1; enrolled through E1 in all five employee types.
/// - P2: provident fund names E1; employee pension and medical through E1 only (selective).
/// - P3: tax names E1; never enrolled (漏保).
/// - P4: employment registration names E1; employee pension through E3 (not E1): un-enrolled at E1, selective at E3.
/// - P5: tax names E1; dies (civil affairs) 2024-02-20: no longer staff.
/// - P6, P7: tax names E2; never enrolled.
/// - P8: no source; employee pension through E1: staff by enrolment only, selective.
/// - P9: tax named E1 2024-02-05, the finding ended 2024-02-25: no longer staff.
/// - P10: tax names E4; never enrolled.
///
/// Screening (2024-03): T1 on E1 (120101, 2 persons) visited and confirmed; T2 on E2 (120102, 2 persons) visited,
/// confirmed, referred to labour inspection; T4 on E4 (120102, 1 person) issued only.
enum EmployerLog {
    static func credit(_ leading: String) -> CreditCode { try! CreditCode(leading + String(CreditCode.checkCharacter(forLeading: leading)!)) }
    static let e1 = credit("91120101MA0000001"), e2 = credit("91120102MA0000002"), e3 = credit("91120101MA0000003"), e4 = credit("91120102MA0000004")
    static func id(_ birth: String, _ sequence: String) -> CitizenID { CityLog.id("120101", birth, sequence) }
    static let p1 = id("19800101", "101"), p2 = id("19800202", "112"), p3 = id("19800303", "123"), p4 = id("19800404", "134")
    static let p5 = id("19800505", "145"), p6 = id("19800606", "156"), p7 = id("19800707", "167"), p8 = id("19800808", "178")
    static let p9 = id("19800909", "189"), p10 = id("19801010", "190")
    static let t1 = "7D444840-9DC0-11D1-B245-5FFDCE74FB01", t2 = "7D444840-9DC0-11D1-B245-5FFDCE74FB02", t4 = "7D444840-9DC0-11D1-B245-5FFDCE74FB04"
    static let employeeTypes = ["employeePension", "employeeMedical", "workInjury", "unemployment", "maternity"]

    static func line(_ stream: String, _ type: String, _ date: String, _ data: String, actor: String = "operator:ops-1") -> String {
        #"{"actor":"\#(actor)","data":\#(data),"effective":"\#(date)","id":"\#(UUID().uuidString)","stream":"\#(stream)","type":"\#(type)","version":\#(type == "PersonEnrolled" ? 2 : 1)}"#
    }

    static func person(_ p: CitizenID, _ type: String, _ date: String, _ data: String, actor: String = "operator:ops-1") -> String {
        line("person-" + p.value, type, date, data, actor: actor)
    }

    static func registered(_ p: CitizenID, _ date: String) -> String {
        person(p, "PersonRegistered", date, #"{"citizenID":"\#(p.value)","employmentStatus":"employed","hukouAddress":"天津市和平区","hukouDivision":"120101","name":"张三","residenceAddress":"天津市和平区某街道","residenceDivision":"120101001001","source":"publicSecurity"}"#)
    }

    static func observed(_ p: CitizenID, _ department: String, at e: CreditCode, _ date: String) -> String {
        person(p, "SourceObservationRecorded", date, #"{"department":"\#(department)","employer":"\#(e.value)","finding":"employedAt"}"#, actor: "source:\(department)")
    }

    static func enrolled(_ p: CitizenID, _ type: String, through e: CreditCode, _ date: String) -> String {
        person(p, "PersonEnrolled", date, #"{"employer":"\#(e.value)","insuranceType":"\#(type)","route":"employer"}"#)
    }

    static func employer(_ e: CreditCode, _ name: String, _ division: String, _ date: String) -> String {
        line("employer-" + e.value, "EmployerRegistered", date, #"{"creditCode":"\#(e.value)","division":"\#(division)","name":"\#(name)"}"#, actor: "source:marketRegulation")
    }

    static func employerFact(_ e: CreditCode, _ type: String, _ date: String, _ data: String) -> String {
        line("employer-" + e.value, type, date, data)
    }

    static var staffLines: [String] {
        var lines = [
            employer(e1, "天津甲制造有限公司", "120101", "2024-01-02"),
            employerFact(e1, "EmployerInsuredUnitRegistered", "2024-01-03", #"{"agencyDivision":"120101","unitNumber":"U-1"}"#),
            employer(e2, "天津乙劳务派遣有限公司", "120102", "2024-01-02"),
            employer(e3, "天津丙商贸有限公司", "120101", "2024-01-02"),
            employer(e4, "天津丁餐饮有限公司", "120102", "2024-01-02"),
        ]
        for p in [p1, p2, p3, p4, p5, p6, p7, p8, p9, p10] { lines.append(registered(p, "2024-01-10")) }
        lines += [
            observed(p1, "tax", at: e1, "2024-02-01"), observed(p2, "providentFund", at: e1, "2024-02-01"),
            observed(p3, "tax", at: e1, "2024-02-01"), observed(p4, "employment", at: e1, "2024-02-01"),
            observed(p5, "tax", at: e1, "2024-02-01"), observed(p6, "tax", at: e2, "2024-02-01"), observed(p7, "tax", at: e2, "2024-02-01"),
            observed(p9, "tax", at: e1, "2024-02-05"), observed(p10, "tax", at: e4, "2024-02-01"),
        ]
        for t in employeeTypes { lines.append(enrolled(p1, t, through: e1, "2024-02-10")) }
        lines += [
            enrolled(p2, "employeePension", through: e1, "2024-02-10"), enrolled(p2, "employeeMedical", through: e1, "2024-02-10"),
            enrolled(p4, "employeePension", through: e3, "2024-02-10"),
            enrolled(p8, "employeePension", through: e1, "2024-02-10"),
            person(p5, "SourceObservationRecorded", "2024-02-20", #"{"department":"civilAffairs","finding":"deceased"}"#, actor: "source:civilAffairs"),
            person(p9, "SourceFindingEnded", "2024-02-25", #"{"department":"tax","finding":"employedAt"}"#, actor: "source:tax"),
        ]
        return lines
    }

    static var screeningLines: [String] {
        [
            employerFact(e1, "EmployerScreeningDispatched", "2024-03-01", #"{"division":"120101","persons":2,"reasons":["unenrolledStaff"],"taskID":"\#(t1)"}"#),
            employerFact(e2, "EmployerScreeningDispatched", "2024-03-01", #"{"division":"120102","persons":2,"reasons":["unenrolledStaff","neverInsured","suspectedLabourDispatch"],"taskID":"\#(t2)"}"#),
            employerFact(e4, "EmployerScreeningDispatched", "2024-03-01", #"{"division":"120102","persons":1,"reasons":["neverInsured"],"taskID":"\#(t4)"}"#),
            employerFact(e1, "EmployerScreeningRecorded", "2024-03-10", #"{"outcome":"visited","taskID":"\#(t1)"}"#),
            employerFact(e1, "EmployerScreeningRecorded", "2024-03-15", #"{"outcome":"confirmed","persons":2,"taskID":"\#(t1)"}"#),
            employerFact(e2, "EmployerScreeningRecorded", "2024-03-10", #"{"outcome":"visited","taskID":"\#(t2)"}"#),
            employerFact(e2, "EmployerScreeningRecorded", "2024-03-15", #"{"outcome":"confirmed","persons":2,"taskID":"\#(t2)"}"#),
            employerFact(e2, "EmployerScreeningRecorded", "2024-03-20", #"{"outcome":"referredToInspection","taskID":"\#(t2)"}"#),
        ]
    }

    static func store() async throws -> InMemoryEventStore {
        let store = InMemoryEventStore()
        let report = try await JSONLinesImporter(store: store).importLines(staffLines + screeningLines)
        let rejected = report.lines.filter { !$0.isInLog }
        #expect(rejected.isEmpty, "every line is accepted: \(rejected)")
        return store
    }
}
