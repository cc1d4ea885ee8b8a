import EventLog
import Foundation
import RegistryDomain

/// A deterministic synthetic city: persons spread over counties, streets and communities, with the mix of facts a
/// registry sees (registrations, source comparisons, enrolments, interruptions and resumptions, survey tasks,
/// visits and reviews, status marks), about five events per person.
///
/// The same parameters give the same events, ids included, so loading twice is idempotent. Events are emitted in
/// waves of up to 100,000 persons: within a wave, each person's facts are spread over two years and interleaved
/// with everyone else's, as in a real log.
public struct CitySimulation: Sendable {
    /// The size and shape of the city.
    public struct Parameters: Sendable, Hashable {
        /// Number of persons; about five events each.
        public var persons: Int
        /// The seed.
        public var seed: UInt64
        /// The first day of the simulated period (local time).
        public var start: Timestamp

        /// Creates parameters.
        public init(persons: Int, seed: UInt64 = 2016, start: Timestamp = Timestamp(iso8601: "2023-01-01T00:00:00+08:00")!) {
            self.persons = persons
            self.seed = seed
            self.start = start
        }

        /// Parameters for about `events` events.
        public static func events(_ events: Int, seed: UInt64 = 2016) -> Parameters {
            Parameters(persons: max(1, events / 5), seed: seed)
        }
    }

    public let parameters: Parameters
    /// The county codes used (Tianjin's districts from 120101 on).
    public let counties: [UInt64]
    /// Employers the employed work for: valid unified social credit codes.
    let employers: [CreditCode]
    /// Streets per county and communities per street.
    public let streetsPerCounty: Int
    public let communitiesPerStreet: Int

    /// Creates the simulation.
    public init(_ parameters: Parameters) {
        self.parameters = parameters
        let n = parameters.persons
        let countyCount = min(16, max(3, n / 120_000))
        counties = (0..<countyCount).map { 120_101 + UInt64($0) }
        streetsPerCounty = min(20, max(3, n / countyCount / 8_000))
        communitiesPerStreet = min(12, max(2, n / (countyCount * streetsPerCounty) / 800))
        // 91 (enterprise) + the county code + a 9-character organisation code + the check character.
        employers = (0..<max(10, n / 50)).map { k in
            let county = 120_101 + UInt64(k % countyCount)
            let organisation = String(100_000_000 + k).suffix(8)
            let leading = "91\(county)M\(organisation)"
            return try! CreditCode(leading + String(CreditCode.checkCharacter(forLeading: leading)!))
        }
    }

    // MARK: - Generation

    /// One fact of a person, before it is given its place in the log.
    struct Planned: Sendable {
        var person: Int
        var stream: StreamID
        var day: Int
        var event: RegistryEvent
        var actor: String
        var headers: [String: String]
    }

    /// Emits the log in order, in batches of about `batchEvents` events: each request appends one event to a
    /// person's stream with the exact expected version.
    public func generate(batchEvents: Int = 5_000, _ emit: ([StreamAppend]) async throws -> Void) async rethrows {
        var batches = self.batches(batchEvents: batchEvents)
        while let batch = batches.next() { try await emit(batch) }
    }

    /// The log as an asynchronous sequence of batches, made one batch at a time (for bulk imports that pull).
    public func batchSequence(batchEvents: Int = 5_000) -> AsyncBatches { AsyncBatches(iterator: batches(batchEvents: batchEvents)) }

    /// The log as a sequence of batches, made one wave of persons at a time.
    public func batches(batchEvents: Int = 5_000) -> Batches { Batches(simulation: self, batchEvents: batchEvents) }

    /// Batches of the log in order; memory holds one wave of persons' facts.
    public struct Batches: IteratorProtocol, Sequence, Sendable {
        let simulation: CitySimulation
        let batchEvents: Int
        var nextPerson = 0
        var planned: [Planned] = []
        var cursor = 0
        var versions: [Int: UInt64] = [:]

        public mutating func next() -> [StreamAppend]? {
            var batch: [StreamAppend] = []
            batch.reserveCapacity(batchEvents)
            while batch.count < batchEvents {
                if cursor == planned.count {
                    guard nextPerson < simulation.parameters.persons else { break }
                    let last = Swift.min(simulation.parameters.persons, nextPerson + 100_000)
                    planned.removeAll(keepingCapacity: true)
                    for person in nextPerson..<last { simulation.plan(person, into: &planned) }
                    // Interleave the wave's facts by day; a person's own facts keep their order (stable sort).
                    planned.sort { $0.day < $1.day }
                    cursor = 0
                    versions = [:]
                    nextPerson = last
                    continue
                }
                let p = planned[cursor]
                cursor += 1
                let version = versions[p.person]
                let expected: ExpectedVersion = version.map { .exactly($0) } ?? .noStream
                versions[p.person] = version.map { $0 + 1 } ?? 0
                let sequence = version.map { Int($0) + 1 } ?? 0
                let effective = Timestamp(microsecondsSinceEpoch: simulation.parameters.start.microsecondsSinceEpoch
                                          + Int64(p.day) * 86_400_000_000 + Int64(sequence) * 60_000_000)
                let proposed = p.event.proposed(
                    id: simulation.eventID(person: p.person, sequence: sequence), effective: effective,
                    metadata: EventMetadata(actor: p.actor, headers: p.headers))
                batch.append(StreamAppend(stream: p.stream, expected: expected, events: [proposed]))
            }
            return batch.isEmpty ? nil : batch
        }
    }

    /// ``Batches`` as an `AsyncSequence`.
    public struct AsyncBatches: AsyncSequence, Sendable {
        public typealias Element = [StreamAppend]
        let iterator: Batches
        public func makeAsyncIterator() -> Iterator { Iterator(batches: iterator) }
        public struct Iterator: AsyncIteratorProtocol {
            var batches: Batches
            public mutating func next() async -> [StreamAppend]? { batches.next() }
        }
    }

    /// Loads the whole log into a store.
    /// - Returns: the number of events appended (those already there count as appended: loading is idempotent).
    /// - Throws: the first append that failed.
    @discardableResult
    public func load<S: EventStore>(into store: S, batchEvents: Int = 5_000, progress: ((Int) -> Void)? = nil) async throws -> Int {
        var count = 0
        try await generate(batchEvents: batchEvents) { batch in
            for result in try await store.append(batch) { _ = try result.get() }
            count += batch.count
            progress?(count)
        }
        return count
    }

    // MARK: - One person's story

    func plan(_ person: Int, into out: inout [Planned]) {
        var rng = SplitMix64(seed: parameters.seed ^ (UInt64(person) &* 0x9E37_79B9_7F4A_7C15))
        let id = citizenID(person)
        let stream = id.streamID
        let birthYear = Int(id.birthDate.year)
        let age = 2024 - birthYear
        let county = counties[person % counties.count]
        let street = UInt64(1 + rng.next(streetsPerCounty))
        let community = UInt64(1 + rng.next(communitiesPerStreet))
        let residence = DivisionCode(padded: county * 1_000_000 + street * 1_000 + community)!
        let hukou = rng.chance(85) ? residence : DivisionCode(padded: counties[rng.next(counties.count)] * 1_000_000 + 1_000 + 1)!
        var day = rng.next(300)
        func add(_ event: RegistryEvent, _ actor: String, _ headers: [String: String] = [:], after gap: Int) {
            day += gap
            out.append(Planned(person: person, stream: stream, day: min(day, 729), event: event, actor: actor, headers: headers))
        }

        // The employer a person works for (named by the tax and employment-registration comparisons and used for
        // enrolment), chosen without drawing from `rng`, so the rest of the story is the same as without employers.
        let employer = employers[(person &* 7 &+ 3) % employers.count]
        let student = (6...22).contains(age) && rng.chance(80)
        let employed = !student && (18...59).contains(age) && rng.chance(62)
        let employment: EmploymentStatus = student ? .student : employed ? .employed : age >= 60 ? .retired : .unknown

        // Known from the police population data; or first found by another department's comparison and registered
        // afterwards (most of them), or not registered yet.
        func register(after gap: Int, source: Department, actor: String) {
            add(.personRegistered(PersonRegistered(
                citizenID: id, name: PersonName(Names.name(&rng)), ethnicity: "汉", hukouType: rng.chance(60) ? .nonAgricultural : .agricultural,
                hukouAddress: Address(Names.address(&rng, hukou)), hukouDivision: hukou,
                residenceAddress: Address(Names.address(&rng, residence)), residenceDivision: residence,
                phone: rng.chance(70) ? PhoneNumber("13\(800_000_000 + rng.next(99_999_999))") : nil,
                employmentStatus: employment, source: source)), actor, after: gap)
        }
        if rng.chance(92) {
            register(after: 0, source: .publicSecurity, actor: "source:public-security")
        } else {
            add(.sourceObservationRecorded(SourceObservationRecorded(department: employed ? .tax : .publicSecurity,
                                                                     finding: employed ? .employedAt : .resident, employer: employed ? employer : nil,
                                                                     reference: "comparison")),
                employed ? "source:tax" : "source:public-security", after: 0)
            guard rng.chance(60) else { return }  // found, not registered yet
            register(after: 10 + rng.next(60), source: .socialInsurance, actor: "operator:street-\(street)")
        }
        // Comparisons with other departments.
        if employed && rng.chance(70) {
            let atEmployer = rng.chance(50)
            add(.sourceObservationRecorded(SourceObservationRecorded(department: .tax, finding: atEmployer ? .employedAt : .taxFiler,
                                                                     employer: atEmployer ? employer : nil, reference: "TAX-\(person)")),
                "source:tax", after: 1 + rng.next(20))
        } else if student && rng.chance(50) {
            add(.sourceObservationRecorded(SourceObservationRecorded(department: .education, finding: .student)), "source:education", after: 1 + rng.next(20))
        } else if rng.chance(12) {
            add(.sourceObservationRecorded(SourceObservationRecorded(department: .publicSecurity, finding: .resident)), "source:public-security", after: 1 + rng.next(20))
        }
        if employed && rng.chance(45) {
            add(.sourceObservationRecorded(SourceObservationRecorded(department: .providentFund, finding: .providentFundContributor)),
                "source:provident-fund", after: 5 + rng.next(40))
        }
        if rng.chance(35) {
            add(.sourceObservationRecorded(SourceObservationRecorded(department: .publicSecurity, finding: .resident, reference: "residence-permit")),
                "source:public-security", after: 10 + rng.next(60))
        }
        if employed && rng.chance(70) {
            add(.sourceObservationRecorded(SourceObservationRecorded(department: .tax, finding: .taxFiler, reference: "TAX-2024-\(person)")),
                "source:tax", after: 200 + rng.next(100))
        }
        if employed && rng.chance(40) {
            add(.sourceObservationRecorded(SourceObservationRecorded(department: .employment, finding: .employedAt, employer: employer)),
                "source:employment", after: 5 + rng.next(60))
        }
        if rng.chance(30) {
            add(.sourceObservationRecorded(SourceObservationRecorded(department: .publicSecurity, finding: .resident, reference: "residence-permit-renewal")),
                "source:public-security", after: 150 + rng.next(150))
        }
        if !employed && rng.chance(10) {
            add(.sourceObservationRecorded(SourceObservationRecorded(department: .civilAffairs, finding: .lowIncome)),
                "source:civil-affairs", after: 10 + rng.next(90))
        }
        if rng.chance(25) {
            add(.personDataCorrected(PersonDataCorrected(
                corrections: [FieldCorrection(field: .phone, value: PersonalText("13\(900_000_000 + rng.next(99_999_999))"))],
                basis: .surveyFinding, note: "phone updated")), "operator:street-\(street)", after: 20 + rng.next(100))
        }
        let roll = rng.next(1000)
        if roll < 4 {
            add(.sourceObservationRecorded(SourceObservationRecorded(department: .prison, finding: .inmate)), "source:prison", after: 5 + rng.next(30))
            return
        } else if roll < 14 {
            add(.sourceObservationRecorded(SourceObservationRecorded(department: .otherProvince, finding: .insuredInOtherProvince,
                                                                     otherProvince: DivisionCode(padded: 110_101_000_000)!)), "source:other-province", after: 5 + rng.next(30))
            return
        }

        // Enrolment: most people hold what they should within weeks; some only after a survey; some never.
        let enrolsAtOnce = rng.chance(84)
        func enrol() {
            if employed {
                _ = rng.next(employers.count)  // drawn as before, so the rest of the story does not change
                add(.personEnrolled(PersonEnrolled(insuranceType: .employeePension, route: .employer, employer: employer, division: residence)), "source:social-insurance", after: 3 + rng.next(30))
                add(.personEnrolled(PersonEnrolled(insuranceType: .employeeMedical, route: .employer, employer: employer, division: residence)), "source:social-insurance", after: 0)
                if rng.chance(90) {
                    add(.personEnrolled(PersonEnrolled(insuranceType: .workInjury, route: .employer, employer: employer, division: residence)), "source:social-insurance", after: 0)
                }
                // Unemployment and maternity insurance: most employers, not all (selective enrolment); from a
                // generator of their own, so the other draws do not change.
                var extra = SplitMix64(seed: parameters.seed &+ 0x5EED ^ (UInt64(person) &* 0xBF58_476D_1CE4_E5B9))
                for type in [InsuranceType.unemployment, .maternity] where extra.chance(75) {
                    add(.personEnrolled(PersonEnrolled(insuranceType: type, route: .employer, employer: employer, division: residence)), "source:social-insurance", after: 0)
                }
            } else {
                add(.personEnrolled(PersonEnrolled(insuranceType: .residentMedical, route: .resident, division: residence)), "source:social-insurance", after: 3 + rng.next(40))
                if (16...59).contains(age) && !student {
                    add(.personEnrolled(PersonEnrolled(insuranceType: .residentPension, route: .resident, division: residence)), "source:social-insurance", after: 0)
                }
            }
        }
        if enrolsAtOnce {
            enrol()
            if employed && rng.chance(10) {
                add(.contributionInterrupted(ContributionInterrupted(insuranceType: .employeePension, reasonCode: "I01")), "source:social-insurance", after: 60 + rng.next(200))
                if rng.chance(55) {
                    add(.contributionResumed(ContributionResumed(insuranceType: .employeePension, route: .flexibleEmployment)), "source:social-insurance", after: 30 + rng.next(150))
                }
            }
        } else {
            // Door-to-door survey: dispatched, visited, reviewed by the street and the district.
            let task = taskID(person)
            add(.surveyTaskDispatched(SurveyTaskDispatched(taskID: task, division: residence, reason: .unenrolledAfterComparison,
                                                           assignee: "S-\(1000 + person % 500)")), "operator:street-\(street)", after: 20 + rng.next(60))
            if rng.chance(85) {
                let surveyor = "S-\(1000 + person % 500)"
                add(.surveyObservationRecorded(SurveyObservationRecorded(
                    taskID: task, surveyorIDs: [surveyor], deviceID: "PAD-\(person % 97)",
                    visitedAt: ISOTimestamp(Timestamp(microsecondsSinceEpoch: parameters.start.microsecondsSinceEpoch + Int64(day + 5) * 86_400_000_000)),
                    outcome: rng.chance(90) ? .completed : .notFound, name: PersonName(Names.name(&rng)), sex: id.sex,
                    certificateNumber: CertificateNumber(id.value), hukouPlace: Address(Names.address(&rng, hukou)),
                    residence: Address(Names.address(&rng, residence)), reasonNotEnrolled: "unaware", employmentStatus: employment)),
                    "surveyor:\(surveyor)", ["device": "PAD-\(person % 97)"], after: 5 + rng.next(20))
                add(.surveyReviewed(SurveyReviewed(taskID: task, level: .street, decision: .approve, reviewerID: "R-\(street)")), "reviewer:street", after: 2 + rng.next(10))
                let confirmed = rng.chance(85)
                add(.surveyReviewed(SurveyReviewed(taskID: task, level: .district, decision: confirmed ? .approve : .reject, reviewerID: "R-D\(county % 100)",
                                                   reason: confirmed ? "" : "phone number missing")), "reviewer:district", after: 2 + rng.next(10))
                if confirmed && rng.chance(60) {
                    enrol()
                } else if rng.chance(30) {
                    let unwilling = rng.chance(70)
                    add(.statusMarked(StatusMarked(mark: unwilling ? .unwilling : .workingElsewhere, reasonCode: unwilling ? "U01" : "W01")),
                        "surveyor:\(surveyor)", after: 3)
                }
            }
        }
        if age > 70 && rng.chance(3) {
            add(.sourceObservationRecorded(SourceObservationRecorded(department: .civilAffairs, finding: .deceased)), "source:civil-affairs", after: 30 + rng.next(200))
        }
    }

    // MARK: - Identities

    /// The citizen ID of person `n`: unique per person, with a valid birth date and check character.
    public func citizenID(_ n: Int) -> CitizenID {
        let county = counties[n % counties.count]
        let q = n / counties.count
        // q ↦ (birth day, sequence) is one-to-one: an affine map of q mod 29,219 over the days 1940-01-01 ...
        // 2019-12-31 (29,219 days; 7,919 is prime to it), and the sequence counts the wraps.
        let sequence = q / 29_219
        let dayIndex = (Int64(q % 29_219) &* 7919 &+ Int64(parameters.seed % 29_219)) % 29_219
        let birth = CalendarDate(daysSinceEpoch: dayIndex - 10_957)  // 1940-01-01 is day -10,957
        let leading = String(county) + birth.compactText + (sequence < 10 ? "00" : sequence < 100 ? "0" : "") + String(sequence)
        return try! CitizenID(leading + String(CitizenID.checkCharacter(forLeading: leading)!))
    }

    func eventID(person: Int, sequence: Int) -> UUID {
        var rng = SplitMix64(seed: parameters.seed &* 31 ^ UInt64(person) << 8 ^ UInt64(sequence))
        let a = rng.nextRaw(), b = rng.nextRaw()
        return withUnsafeBytes(of: (a, b)) { UUID(uuid: $0.loadUnaligned(as: uuid_t.self)) }
    }

    func taskID(_ person: Int) -> UUID { eventID(person: person, sequence: 1_000_000) }
}

extension CalendarDate {
    /// `YYYYMMDD`.
    var compactText: String {
        let v = year * 10_000 + month * 100 + day
        return String(v)
    }
}
