import EventLog
import Foundation
import RegistryDomain

extension CitySimulation {
    /// The city's employers and targets, as appends to their own streams (`employer-…`, `target-…`): every employer
    /// the persons work for registered by market regulation on the first day and, all but every tenth, registered as
    /// an insured unit; a few more registered and never insured (no staff); every seventeenth a labour-dispatch firm
    /// by name; per county, targets for 2024 (employee-pension contributors, new enrolments, the coverage rate), and
    /// the first county's contributor target revised on 2024-07-01. Deterministic, ids included (loading twice adds
    /// nothing). Person streams do not depend on these.
    public func organisationFacts() -> [StreamAppend] {
        var out: [StreamAppend] = []
        func day(_ d: Int) -> Timestamp { Timestamp(microsecondsSinceEpoch: parameters.start.microsecondsSinceEpoch + Int64(d) * 86_400_000_000) }
        func append(_ stream: StreamID, _ events: [(RegistryEvent, Int, String)], key: Int) {
            let proposed = events.enumerated().map { i, e in
                e.0.proposed(id: eventID(person: 1_000_000_000 + key, sequence: i), effective: day(e.1), metadata: EventMetadata(actor: e.2))
            }
            out.append(StreamAppend(stream: stream, expected: .any, events: proposed))
        }
        let unstaffed = max(2, employers.count / 10)
        for k in 0..<(employers.count + unstaffed) {
            let code = k < employers.count ? employers[k] : organisationCode(k)
            let county = DivisionCode(padded: counties[k % counties.count] * 1_000_000)!
            let dispatch = k % 17 == 0
            let name = "天津市\(k + 1)号" + (dispatch ? "劳务派遣有限公司" : k % 3 == 0 ? "制造有限公司" : "商贸有限公司")
            var facts: [(RegistryEvent, Int, String)] = [
                (.employerRegistered(EmployerRegistered(creditCode: code, name: name, division: county, isLabourDispatch: false)), 0, "source:market-regulation"),
            ]
            if k < employers.count, k % 10 != 9 {
                facts.append((.employerInsuredUnitRegistered(EmployerInsuredUnitRegistered(
                    unitNumber: "U-\(county.value)-\(k)", agencyDivision: county, insuranceTypes: [.employeePension, .employeeMedical, .workInjury])),
                    1, "source:social-insurance"))
            }
            append(.employer(code), facts, key: k)
        }
        let perCounty = Double(parameters.persons) / Double(counties.count)
        for (i, c) in counties.enumerated() {
            let area = DivisionCode(padded: c * 1_000_000)!
            let year = (YearMonth(iso: "2024-01")!, YearMonth(iso: "2024-12")!)
            var facts: [(RegistryEvent, Int, String)] = [
                (.targetSet(TargetSet(area: area, insuranceType: .employeePension, kind: .contributors, from: year.0, to: year.1,
                                      value: (perCounty * 0.33).rounded(), note: "2024 plan")), 365, "bureau:1201"),
                (.targetSet(TargetSet(area: area, insuranceType: nil, kind: .newEnrolments, from: year.0, to: year.1,
                                      value: perCounty.rounded(), note: "2024 plan")), 365, "bureau:1201"),
                (.targetSet(TargetSet(area: area, insuranceType: nil, kind: .coverageRate, from: year.0, to: year.1, value: 95, note: "2024 plan")),
                 365, "bureau:1201"),
            ]
            if i == 0 {
                facts.append((.targetSet(TargetSet(area: area, insuranceType: .employeePension, kind: .contributors, from: year.0, to: year.1,
                                                   value: (perCounty * 0.3).rounded(), note: "mid-year revision")), 547, "bureau:1201"))
            }
            append(.target(area), facts, key: 900_000 + i)
        }
        return out
    }

    /// A valid credit code for an employer no person works for.
    func organisationCode(_ k: Int) -> CreditCode {
        let county = counties[k % counties.count]
        let leading = "92\(county)M\(String(200_000_000 + k).suffix(8))"
        return try! CreditCode(leading + String(CreditCode.checkCharacter(forLeading: leading)!))
    }

    /// Loads ``organisationFacts()`` into a store.
    /// - Returns: the number of events appended (or already there).
    @discardableResult
    public func loadOrganisations<S: EventStore>(into store: S) async throws -> Int {
        let facts = organisationFacts()
        for result in try await store.append(facts) { _ = try result.get() }
        return facts.reduce(0) { $0 + $1.events.count }
    }
}
