import EventLog
import Foundation
import MemoryStore
import RegistryDomain
import Synchronization

/// A small hand-built log of one county, whose expected numbers the tests work out by hand.
///
/// Every record is written with the store clock set to its effective time plus one hour, except person F's two
/// enrolments: effective 2024-02-01 but recorded 2024-06-01, so that "as of" by effective time and "as known at"
/// by recorded time differ.
struct CityLog {
    /// The store's clock, set before each append.
    final class Clock: Sendable {
        let now = Mutex<Int64>(0)
    }

    let store: InMemoryEventStore
    let clock = Clock()

    static func at(_ text: String) -> Timestamp { Timestamp(iso8601: text + "T00:00:00+08:00")! }

    /// A valid citizen ID with this area, birth date and sequence.
    static func id(_ area: String, _ birth: String, _ sequence: String) -> CitizenID {
        let leading = area + birth + sequence
        return try! CitizenID(leading + String(CitizenID.checkCharacter(forLeading: leading)!))
    }

    static let a = id("120101", "19850317", "002")
    static let b = id("120101", "20000505", "013")
    static let c = id("120101", "19500101", "024")
    static let d = id("120102", "19900707", "035")
    static let e = id("120101", "19950909", "046")
    static let f = id("120101", "19920202", "057")
    static let g = id("120101", "19880808", "068")
    static let taskB = UUID(uuidString: "00000000-0000-0000-0000-0000000000B1")!

    init() async throws {
        let clock = self.clock
        store = InMemoryEventStore(clock: { Timestamp(microsecondsSinceEpoch: clock.now.withLock { $0 }) })
        try await build()
    }

    func append(_ person: CitizenID, _ event: RegistryEvent, _ date: String, recorded: String? = nil, actor: String = "operator:test") async throws {
        let effective = Self.at(date)
        let recordedAt = recorded.map(Self.at) ?? Timestamp(microsecondsSinceEpoch: effective.microsecondsSinceEpoch + 3_600_000_000)
        clock.now.withLock { $0 = recordedAt.microsecondsSinceEpoch }
        try await store.append([event.proposed(effective: effective, metadata: EventMetadata(actor: actor))], to: person.streamID)
    }

    static func registered(_ id: CitizenID, residence: String, employment: EmploymentStatus = .unknown) -> RegistryEvent {
        .personRegistered(PersonRegistered(
            citizenID: id, name: PersonName("张三"), hukouAddress: Address("天津市和平区"), hukouDivision: try! DivisionCode(String(residence.prefix(6))),
            residenceAddress: Address("天津市和平区某街道"), residenceDivision: try! DivisionCode(residence), employmentStatus: employment,
            source: .publicSecurity))
    }

    static func enrolled(_ t: InsuranceType, _ route: EnrolmentRoute = .resident) -> RegistryEvent {
        .personEnrolled(PersonEnrolled(insuranceType: t, route: route))
    }

    func build() async throws {
        typealias L = CityLog
        // F first: registered 2024-01-01.
        try await append(L.f, L.registered(L.f, residence: "120101001001"), "2024-01-01")
        // C: 74 years old, only medical insurance required.
        try await append(L.c, L.registered(L.c, residence: "120101002001"), "2024-01-05")
        // A: employed; three employee schemes on 2024-01-15.
        try await append(L.a, L.registered(L.a, residence: "120101001001", employment: .employed), "2024-01-10")
        try await append(L.a, L.enrolled(.employeePension, .employer), "2024-01-15")
        try await append(L.a, L.enrolled(.employeeMedical, .employer), "2024-01-15")
        try await append(L.a, L.enrolled(.workInjury, .employer), "2024-01-15")
        // E: resident schemes the day of registration.
        try await append(L.e, L.registered(L.e, residence: "120101002001"), "2024-01-20")
        try await append(L.e, L.enrolled(.residentMedical), "2024-01-20")
        try await append(L.e, L.enrolled(.residentPension), "2024-01-20")
        // B: never enrolled; a survey task visited, approved by the street, rejected by the district.
        try await append(L.b, L.registered(L.b, residence: "120101001002"), "2024-02-01")
        try await append(L.b, .sourceObservationRecorded(SourceObservationRecorded(department: .publicSecurity, finding: .resident)), "2024-02-02", actor: "source:police")
        // D: only known from the prison comparison: exempt, area unknown.
        try await append(L.d, .sourceObservationRecorded(SourceObservationRecorded(department: .prison, finding: .inmate)), "2024-02-10", actor: "source:prison")
        try await append(L.a, .contributionInterrupted(ContributionInterrupted(insuranceType: .employeePension)), "2024-03-01")
        try await append(L.b, .surveyTaskDispatched(SurveyTaskDispatched(taskID: L.taskB, division: try DivisionCode("120101001002"), reason: .unenrolledAfterComparison)), "2024-03-01")
        try await append(L.b, .surveyObservationRecorded(SurveyObservationRecorded(
            taskID: L.taskB, surveyorIDs: ["S-0412", "S-0413"], deviceID: "PAD-17", visitedAt: ISOTimestamp(L.at("2024-03-10")), outcome: .completed,
            name: PersonName("李四"), sex: .male, certificateNumber: CertificateNumber(L.b.value), hukouPlace: Address("天津市"), residence: Address("天津市和平区"))),
            "2024-03-10", actor: "surveyor:S-0412")
        try await append(L.b, .surveyReviewed(SurveyReviewed(taskID: L.taskB, level: .street, decision: .approve, reviewerID: "R-1")), "2024-03-12")
        try await append(L.b, .surveyReviewed(SurveyReviewed(taskID: L.taskB, level: .district, decision: .reject, reviewerID: "R-2", reason: "phone missing")), "2024-03-15")
        try await append(L.c, L.enrolled(.residentMedical), "2024-04-01")
        // G: registered, nothing else: to dispatch.
        try await append(L.g, L.registered(L.g, residence: "120101001001"), "2024-04-01")
        try await append(L.e, .statusMarked(StatusMarked(mark: .deceased, reasonCode: "D01")), "2024-05-01")
        // F's enrolments, effective 2024-02-01, recorded only on 2024-06-01.
        try await append(L.f, L.enrolled(.residentMedical), "2024-02-01", recorded: "2024-06-01")
        try await append(L.f, L.enrolled(.residentPension), "2024-02-01", recorded: "2024-06-01")
    }
}
