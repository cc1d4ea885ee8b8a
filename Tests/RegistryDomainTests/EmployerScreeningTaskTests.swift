import EventLog
import Foundation
@testable import RegistryDomain
import Testing

@Suite("Employer screening tasks and target rules")
struct EmployerScreeningTaskTests {
    typealias S = EmployerScreeningTask.State

    @Test("The state machine: which outcome may follow which")
    func transitions() {
        #expect(S.issued.recorded(.visited) == .visited)
        #expect(S.visited.recorded(.visited) == .visited)
        #expect(S.visited.recorded(.confirmed) == .confirmed)
        #expect(S.confirmed.recorded(.referredToInspection) == .referred)
        #expect(S.visited.recorded(.rectified) == .rectified)
        #expect(S.confirmed.recorded(.rectified) == .rectified)
        #expect(S.referred.recorded(.rectified) == .rectified)
        // Refused: confirming before a visit, referring before a confirmation, anything after rectification.
        #expect(S.issued.recorded(.confirmed) == nil)
        #expect(S.issued.recorded(.rectified) == nil)
        #expect(S.visited.recorded(.referredToInspection) == nil)
        for outcome in EmployerScreeningOutcome.allCases { #expect(S.rectified.recorded(outcome) == nil) }
        #expect(!S.issued.isScreened && S.visited.isScreened && S.referred.isScreened)
        #expect(S.rectified.isClosed && !S.referred.isClosed)
    }

    static let code = Fixtures.employer
    static let registered = RegistryEvent.employerRegistered(EmployerRegistered(creditCode: code, name: "某某", division: try! DivisionCode("120101")))
    static let task = UUID(uuidString: "00000000-0000-0000-0000-00000000E001")!
    static let dispatched = RegistryEvent.employerScreeningDispatched(
        EmployerScreeningDispatched(taskID: task, division: try! DivisionCode("120101"), reasons: [.neverInsured], persons: 3))

    @Test("The employer rules: registered first, one id per task, reasons required, steps in order")
    func rules() throws {
        var state = EmployerState()
        #expect(throws: RuleViolation.self) { try state.check(Self.dispatched) }
        state.apply(Self.registered)
        try state.check(Self.dispatched)
        state.apply(Self.dispatched)
        func rule(_ event: RegistryEvent) -> String? {
            do { try state.check(event); return nil } catch { return error.rule.rawValue }
        }
        #expect(rule(Self.dispatched) == "duplicate-screening-task")
        #expect(rule(.employerScreeningDispatched(EmployerScreeningDispatched(taskID: UUID(), division: try DivisionCode("120101"), reasons: [], persons: 0)))
                == "screening-reason-required")
        #expect(rule(.employerScreeningRecorded(EmployerScreeningRecorded(taskID: UUID(), outcome: .visited))) == "unknown-screening-task")
        #expect(rule(.employerScreeningRecorded(EmployerScreeningRecorded(taskID: Self.task, outcome: .confirmed))) == "screening-step-not-allowed")
        let visit = RegistryEvent.employerScreeningRecorded(EmployerScreeningRecorded(taskID: Self.task, outcome: .visited))
        #expect(rule(visit) == nil)
        state.apply(visit)
        #expect(state.tasks[0].state == .visited && state.tasks[0].visits == 1)
        #expect(rule(.employerInsuredUnitRegistered(EmployerInsuredUnitRegistered(unitNumber: "U1", agencyDivision: try DivisionCode("120101")))) == nil)
    }

    @Test("Targets: the period runs forwards, values are finite and at least 0, rates at most 100; the stream names the area")
    func targetRules() throws {
        func target(_ kind: TargetKind, _ from: String, _ to: String, _ value: Double) -> RegistryEvent {
            .targetSet(TargetSet(area: try! DivisionCode("120101"), insuranceType: nil, kind: kind, from: YearMonth(iso: from)!, to: YearMonth(iso: to)!, value: value))
        }
        try TargetRules.check(target(.contributors, "2015-01", "2015-12", 2_891_437))
        try TargetRules.check(target(.coverageRate, "2015-01", "2015-01", 100))
        for bad in [target(.contributors, "2015-02", "2015-01", 1), target(.contributors, "2015-01", "2015-12", -1),
                    target(.coverageRate, "2015-01", "2015-12", 100.1), target(.newEnrolments, "2015-01", "2015-12", .nan)] {
            #expect(throws: RuleViolation.self) { try TargetRules.check(bad) }
        }
        #expect(try RegistryStream(try StreamID("target-120101")) == .target(try DivisionCode("120101")))
        #expect(throws: EventFormatError.self) { try RegistryStream(try StreamID("target-12x")) }
        #expect(YearMonth(iso: "2015-13") == nil && YearMonth(iso: "2015-1") == nil)
        #expect(YearMonth(iso: "2015-07")!.lastDay.description == "2015-07-31")
    }
}
