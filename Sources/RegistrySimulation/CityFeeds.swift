import Foundation
import RegistryDomain

/// The synthetic city's department feeds: the persons of ``CitySimulation`` as the CSV extracts the departments
/// send, round after round, for the demo to compare (feeds in, worklists and ledgers out).
///
/// Four rounds in 2024 (end of each quarter). Round 1: the police population extract, the employers, and the
/// first extracts of tax, education, prisons, provident fund, employment registration, other provinces, low income
/// and the insurance agency. Later rounds: the full lists again (inmates released, students graduated, employers
/// changed), the deaths of the quarter, moves in the population extract of round 3, and the enrolments that
/// followed the door-to-door surveys in the insurance extract. Deterministic for a seed.
public struct CityFeeds: Sendable {
    /// The city whose persons, places and employers the feeds list.
    public let city: CitySimulation

    /// A feed file of one round.
    public struct Feed: Sendable, Hashable {
        /// The feed kind's name (as `registry compare --source` takes it).
        public var kind: String
        /// The file name, with the feed's date in it.
        public var fileName: String
        /// The feed's date.
        public var date: CalendarDate
        /// The round (1 to 4).
        public var round: Int
        /// Data rows written.
        public var rows: Int
    }

    /// The feeds' dates: the end of each quarter of 2024.
    public static let roundDates = [
        CalendarDate(year: 2024, month: 3, day: 31)!, CalendarDate(year: 2024, month: 6, day: 30)!,
        CalendarDate(year: 2024, month: 9, day: 30)!, CalendarDate(year: 2024, month: 12, day: 31)!,
    ]

    /// The feeds of a city.
    public init(_ parameters: CitySimulation.Parameters) {
        city = CitySimulation(parameters)
    }

    /// One person's story as the departments see it.
    struct Story {
        var id: String
        var age: Int
        var county: UInt64
        var residence: DivisionCode
        var movedTo: DivisionCode?
        var hukou: DivisionCode
        var policeRegistered: Bool
        var student: Bool
        var graduates: Bool
        var employed: Bool
        var employer: CreditCode?
        var inmateUntilRound: Int  // 0: never; listed in rounds before this one
        var otherProvince: Bool
        var lowIncome: Bool
        var diesInRound: Int  // 0: lives
        var enrolsInRound: Int  // 0: never (the surveys find them)
        var interruptedInRound: Int
        var resumesInRound: Int
        var name: String
        var phone: String
        var hukouAddress: String
        var residenceAddress: String
    }

    func story(_ n: Int) -> Story {
        var rng = SplitMix64(seed: city.parameters.seed ^ 0x5EED_FEED ^ (UInt64(n) &* 0x9E37_79B9_7F4A_7C15))
        let id = city.citizenID(n)
        let age = 2024 - id.birthDate.year
        let county = city.counties[n % city.counties.count]
        let street = UInt64(1 + rng.next(city.streetsPerCounty))
        let residence = DivisionCode(padded: county * 1_000_000 + street * 1_000 + UInt64(1 + rng.next(city.communitiesPerStreet)))!
        let hukou = rng.chance(85) ? residence : DivisionCode(padded: city.counties[rng.next(city.counties.count)] * 1_000_000 + 1_000 + 1)!
        let movedTo = rng.chance(2) ? DivisionCode(padded: city.counties[rng.next(city.counties.count)] * 1_000_000 + 1_000 * UInt64(1 + rng.next(city.streetsPerCounty)) + 1)! : nil
        let student = (6...22).contains(age) && rng.chance(80)
        let employed = !student && (18...59).contains(age) && rng.chance(62)
        let inmate = rng.next(1000) < 4
        let other = !inmate && rng.next(1000) < 10
        let enrolsAtOnce = rng.chance(82)
        let interrupted = employed && enrolsAtOnce && rng.chance(10)
        return Story(
            id: id.value, age: age, county: county, residence: residence, movedTo: movedTo, hukou: hukou,
            policeRegistered: rng.chance(97), student: student, graduates: student && age == 22, employed: employed,
            employer: employed ? city.employers[rng.next(city.employers.count)] : nil,
            inmateUntilRound: inmate ? (rng.chance(50) ? 3 : 5) : 0, otherProvince: other,
            lowIncome: !employed && rng.chance(10), diesInRound: age > 70 && rng.chance(4) ? 2 + rng.next(3) : 0,
            enrolsInRound: inmate || other ? 0 : enrolsAtOnce ? 1 : (rng.chance(55) ? 3 : 0),
            interruptedInRound: interrupted ? 2 : 0, resumesInRound: interrupted && rng.chance(55) ? 4 : 0,
            name: Names.name(&rng), phone: rng.chance(70) ? "13\(800_000_000 + rng.next(99_999_999))" : "",
            hukouAddress: Names.address(&rng, hukou), residenceAddress: Names.address(&rng, residence))
    }

    /// Writes every round's feeds into a directory (created if missing).
    /// - Returns: the feeds in the order to compare them: round by round, the population and employers first and
    ///   the insurance extract last.
    public func write(into directory: String) throws -> [Feed] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var feeds: [Feed] = []
        let n = city.parameters.persons
        for (r, date) in Self.roundDates.enumerated() {
            let round = r + 1
            func feed(_ kind: String, _ header: String, _ rows: (Story, inout [String]) -> Void) throws {
                let name = "\(kind)-\(date).csv"
                var count = 0
                var text = header + "\n"
                var lines: [String] = []
                for p in 0..<n {
                    let s = story(p)
                    // The dead are in no list after their death; the insurance extract, compared after the deaths feed
                    // of its round, no longer lists them in that round either.
                    if s.diesInRound > 0 && kind != "civil-affairs-deaths"
                        && (s.diesInRound < round || (s.diesInRound == round && kind == "social-insurance")) { continue }
                    lines.removeAll(keepingCapacity: true)
                    rows(s, &lines)
                    for l in lines { text += l + "\n"; count += 1 }
                }
                try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
                feeds.append(Feed(kind: kind, fileName: name, date: date, round: round, rows: count))
            }
            if round == 1 || round == 3 {
                try feed("police-population", "id_number,name,ethnicity,hukou_type,hukou_division,hukou_address,residence_division,residence_address,phone") { s, out in
                    guard s.policeRegistered else { return }
                    let place = round == 3 ? (s.movedTo ?? s.residence) : s.residence
                    out.append([s.id, s.name, "汉族", "非农业", s.hukou.value, Self.quoted(s.hukouAddress), place.value, Self.quoted(s.residenceAddress), s.phone].joined(separator: ","))
                }
            }
            // The employers are registered by the demo's organisations step (`CitySimulation.loadOrganisations`), so
            // the market-regulation extract (`employersCSV()`) is not part of the rounds.
            try feed("tax", "id_number,employer_credit_code") { s, out in
                if let employer = s.employer { out.append("\(s.id),\(employer.value)") }
            }
            try feed("education", "id_number,school,division") { s, out in
                if s.student, !(s.graduates && round >= 3) { out.append("\(s.id),第\(s.county % 100)中学,\(s.county)") }
            }
            try feed("prison", "id_number,admitted_on") { s, out in
                if s.inmateUntilRound > round { out.append("\(s.id),2023-06-01") }
            }
            try feed("provident-fund", "id_number,employer_credit_code") { s, out in
                if s.employed, s.age < 50 { out.append("\(s.id),\(s.employer!.value)") }
            }
            try feed("employment", "id_number,employer_credit_code,registered_on") { s, out in
                if s.employed, s.age % 3 != 0 { out.append("\(s.id),\(s.employer!.value),2023-09-01") }
            }
            try feed("other-province", "id_number,province") { s, out in
                if s.otherProvince { out.append("\(s.id),110000") }
            }
            try feed("civil-affairs-low-income", "id_number,division") { s, out in
                if s.lowIncome { out.append("\(s.id),\(s.county)") }
            }
            if round > 1 {
                try feed("civil-affairs-deaths", "id_number,death_date") { s, out in
                    if s.diesInRound == round {
                        out.append("\(s.id),\(CalendarDate(daysSinceEpoch: date.daysSinceEpoch - 20))")
                    }
                }
            }
            try feed("social-insurance", "id_number,insurance_type,status,employer_credit_code,division,since") { s, out in
                guard s.policeRegistered, s.enrolsInRound > 0, round >= s.enrolsInRound else { return }
                let since = CalendarDate(daysSinceEpoch: Self.roundDates[s.enrolsInRound - 1].daysSinceEpoch - 45)
                if let employer = s.employer {
                    let pension = s.interruptedInRound > 0 && round >= s.interruptedInRound && !(s.resumesInRound > 0 && round >= s.resumesInRound) ? "interrupted" : "paying"
                    out.append("\(s.id),employeePension,\(pension),\(employer.value),\(s.county),\(since)")
                    out.append("\(s.id),employeeMedical,paying,\(employer.value),\(s.county),\(since)")
                    out.append("\(s.id),workInjury,paying,\(employer.value),\(s.county),\(since)")
                } else {
                    out.append("\(s.id),residentMedical,paying,,\(s.county),\(since)")
                    if (16...59).contains(s.age), !s.student { out.append("\(s.id),residentPension,paying,,\(s.county),\(since)") }
                }
            }
        }
        return feeds
    }

    /// The market-regulation extract: every employer.
    func employersCSV() -> String {
        var text = "credit_code,name,division,labour_dispatch\n"
        for (k, e) in city.employers.enumerated() {
            text += "\(e.value),津企\(k)有限公司,\(e.value.dropFirst(2).prefix(6)),\(k % 40 == 0 ? "是" : "否")\n"
        }
        return text
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
