import EventLog
import Foundation
import MemoryStore
import RegistryDomain
import RegistryProjections
import RegistrySimulation
import Testing

@Suite("The simulated city's employers and targets")
struct CitySimulationOrganisationsTests {
    @Test("Employer and target facts obey their rules, load idempotently, and feed the employer and target views")
    func organisations() async throws {
        let simulation = CitySimulation(.init(persons: 3_000, seed: 5))
        let facts = simulation.organisationFacts()
        var refused: [String] = []
        for append in facts {
            var state = EmployerState()
            for view in append.events {
                let recorded = RecordedEvent(
                    position: 1, stream: append.stream, streamVersion: 0, id: view.id, type: view.type, schemaVersion: view.schemaVersion,
                    recordedTime: view.effectiveTime, effectiveTime: view.effectiveTime, payload: view.payload, metadata: view.metadata, hash: .genesis)
                let event = try RegistryEvent.decode(recorded)
                do {
                    if append.stream.category == "target" { try TargetRules.check(event) } else { try state.check(event); state.apply(event) }
                } catch { refused.append("\(error)") }
            }
        }
        #expect(refused.isEmpty, "\(refused)")
        let store = InMemoryEventStore()
        try await simulation.load(into: store)
        let count = try await simulation.loadOrganisations(into: store)
        let head = try await store.headPosition()
        try await simulation.loadOrganisations(into: store)
        #expect(try await store.headPosition() == head, "loading twice appends nothing")
        #expect(count == facts.reduce(0) { $0 + $1.events.count })

        let employers = try await ProjectionEngine.rebuild(EmployerFold(settings: EmployerSettings(minimumUnenrolled: 5)), from: store)
        let rows = employers.employerCoverage()
        // Staff come from the tax and employment comparisons and from enrolments through the employer.
        #expect(rows.filter { $0.staff > 0 }.count >= 50)
        #expect(rows.contains { $0.notEnrolled > 0 } && rows.contains { $0.selective > 0 })
        let worklist = employers.screeningWorklist()
        #expect(worklist.contains { $0.reasons.contains(.neverInsured) })
        #expect(worklist.contains { $0.reasons.contains(.suspectedLabourDispatch) })
        let targets = try await ProjectionEngine.rebuild(TargetFold(settings: ProjectionSettings(areaBasis: .insuringAgency)), from: store)
        let end = Timestamp(iso8601: "2024-12-31T23:00:00+08:00")!
        let plan = targets.progress(at: end).filter { $0.kind == .contributors && !$0.isTotal }
        #expect(plan.count == simulation.counties.count)
        #expect(plan.allSatisfy { $0.actual > 0 && $0.completionPercent != nil })
        #expect(plan.first?.revisions == 2, "the first county's plan was revised")
    }
}
