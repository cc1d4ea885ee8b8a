import Foundation
import EventLog
@testable import RegistryDomain

/// Sample identifiers and one event of every type, shared by the tests.
enum Fixtures {
    static let personID = try! CitizenID("120101198503170024")
    static let otherPersonID = try! CitizenID("11010519491231002X")
    static let employer = try! CreditCode("91350100M000100Y43")
    static let otherEmployer = try! CreditCode("91120101MA05KT5X1J")
    static let community = try! DivisionCode("120101001001")
    static let street = try! DivisionCode("120101001")
    static let taskID = UUID(uuidString: "7D444840-9DC0-11D1-B245-5FFDCE74FAD2")!
    static let day = Timestamp(iso8601: "2024-03-01T08:00:00Z")!

    static let registered = PersonRegistered(
        citizenID: personID, name: PersonName("张三"), ethnicity: "汉族", hukouType: .nonAgricultural,
        hukouAddress: Address("天津市和平区南京路123号"), hukouDivision: try! DivisionCode("120101"),
        residenceAddress: Address("天津市和平区南营门街道1号"), residenceDivision: community,
        phone: PhoneNumber("13812345678"), employmentStatus: .unemployed, source: .publicSecurity)

    static let observation = SurveyObservationRecorded(
        taskID: taskID, surveyorIDs: ["S-0412", "S-0413"], deviceID: "APP-7731",
        visitedAt: ISOTimestamp(Timestamp(microsecondsSinceEpoch: 1_709_280_000_123_456)), outcome: .completed,
        name: PersonName("张三"), sex: .female, certificateNumber: CertificateNumber("120101198503170024"),
        ethnicity: "汉族", phone: PhoneNumber("13812345678"), employerName: "某某商贸有限公司", employerCode: employer,
        hukouType: .nonAgricultural, hukouPlace: Address("天津市和平区南京路123号"),
        residence: Address("天津市和平区南营门街道1号"), insuranceTypes: [.residentMedical], reasonNotEnrolled: "U01",
        employmentStatus: .flexiblyEmployed)

    /// One event of every type (every one), with optional fields both present and absent across the set.
    static let everyEvent: [RegistryEvent] = [
        .personRegistered(registered),
        .personDataCorrected(PersonDataCorrected(
            corrections: [FieldCorrection(field: .phone, value: PersonalText("13900001111")),
                          FieldCorrection(field: .residenceDivision, value: PersonalText("120101001002"))],
            basis: .personalDeclaration, note: "moved")),
        .sourceObservationRecorded(SourceObservationRecorded(
            department: .tax, finding: .employedAt, employer: employer, otherProvince: nil, reference: "tax-2024-02")),
        .personEnrolled(PersonEnrolled(insuranceType: .employeePension, route: .employer, employer: employer, division: community)),
        .contributionInterrupted(ContributionInterrupted(insuranceType: .employeePension, reasonCode: "left-employer")),
        .contributionResumed(ContributionResumed(insuranceType: .employeePension, route: .flexibleEmployment, employer: nil)),
        .enrolmentTerminated(EnrolmentTerminated(insuranceType: .employeePension, reason: .emigration)),
        .enrolmentTransferredOut(EnrolmentTransferredOut(insuranceType: .employeeMedical, destination: try! DivisionCode("440300"))),
        .enrolmentTransferredIn(EnrolmentTransferredIn(insuranceType: .employeeMedical, origin: try! DivisionCode("440304"), route: .employer, employer: otherEmployer)),
        .surveyTaskDispatched(SurveyTaskDispatched(taskID: taskID, division: community, reason: .unenrolledAfterComparison, assignee: "team-12")),
        .surveyObservationRecorded(observation),
        .surveyReviewed(SurveyReviewed(taskID: taskID, level: .district, decision: .reject, reviewerID: "R-9", reason: "phone unreachable")),
        .statusMarked(StatusMarked(mark: .unwilling, reasonCode: "U01", note: "")),
        .statusMarkWithdrawn(StatusMarkWithdrawn(mark: .imprisoned, reasonCode: "P90", note: "released")),
        .sourceFindingEnded(SourceFindingEnded(department: .prison, finding: .inmate, reference: "prison-2024-06")),
        .employerRegistered(EmployerRegistered(creditCode: employer, name: "某某商贸有限公司", division: try! DivisionCode("350100"), isLabourDispatch: false)),
        .employerScreened(EmployerScreened(campaign: "2016-screening", staffCount: 120, unenrolledStaff: 57, suspectedLabourDispatch: true, note: "50+")),
        .personalDataRevealed(PersonalDataRevealed(subject: personID, fields: ["name", "phone"], viewer: "operator:ops-7", reason: "call back")),
        .employerInsuredUnitRegistered(EmployerInsuredUnitRegistered(unitNumber: "U-350100-0001", agencyDivision: try! DivisionCode("350100"), insuranceTypes: [.employeePension, .employeeMedical])),
        .employerScreeningDispatched(EmployerScreeningDispatched(taskID: taskID, division: try! DivisionCode("350100"), reasons: [.unenrolledStaff, .suspectedLabourDispatch], persons: 57, assignee: "team-3")),
        .employerScreeningRecorded(EmployerScreeningRecorded(taskID: taskID, outcome: .confirmed, persons: 55)),
        .targetSet(TargetSet(area: try! DivisionCode("350100"), insuranceType: nil, kind: .coverageRate, from: YearMonth(iso: "2015-01")!, to: YearMonth(iso: "2015-12")!, value: 95.5, note: "plan")),
    ]

    /// The stream an event of `everyEvent` belongs in.
    static func stream(for event: RegistryEvent) -> StreamID {
        switch event.category {
        case .person: .person(personID)
        case .employer: .employer(employer)
        case .audit: .audit(CalendarDate(year: 2024, month: 3, day: 1)!)
        case .target: .target(try! DivisionCode("350100"))
        }
    }

    static let metadata = EventMetadata(
        correlationID: UUID(uuidString: "11111111-2222-3333-4444-555555555555"), causationID: nil,
        actor: "surveyor:S-0412", headers: ["device": "APP-7731"])
}
