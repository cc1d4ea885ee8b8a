import EventLog
import MemoryStore
import RegistryDomain
import RegistryProjections
import RegistrySimulation
import Testing

@Suite("Synthetic city")
struct CitySimulationTests {
    @Test("The log is deterministic, about five events a person, and every append is valid")
    func shape() async throws {
        let simulation = CitySimulation(.init(persons: 3_000, seed: 7))
        var first: [StreamAppend] = []
        await simulation.generate(batchEvents: 1_000) { first += $0 }
        var second: [StreamAppend] = []
        await simulation.generate(batchEvents: 777) { second += $0 }
        #expect(first.map(\.events[0].id) == second.map(\.events[0].id))
        let perPerson = Double(first.count) / 3_000
        #expect(perPerson > 4.5)
        #expect(perPerson < 6)
        let persons = Set(first.map(\.stream))
        #expect(persons.count == 3_000, "every person has a stream and no two share one")
        let types = Set(first.map(\.events[0].type))
        for t in ["PersonRegistered", "SourceObservationRecorded", "PersonEnrolled", "ContributionInterrupted", "ContributionResumed",
                  "SurveyTaskDispatched", "SurveyObservationRecorded", "SurveyReviewed", "StatusMarked"] {
            #expect(types.contains(t), "no \(t)")
        }
        // Every event decodes as a registry event.
        let store = InMemoryEventStore()
        let loaded = try await simulation.load(into: store)
        #expect(loaded == first.count)
        for try await batch in store.readAll() {
            try batch.withRecords { views in for v in views { _ = try RegistryEvent.decode(v) } }
        }
        // Loading again appends nothing: ids are stable.
        try await simulation.load(into: store)
        #expect(try await store.headPosition() == LogPosition(first.count))
    }

    @Test("Every simulated fact obeys the registry's rules, checked as a command would be")
    func obeysRules() async throws {
        let simulation = CitySimulation(.init(persons: 3_000, seed: 5))
        var states: [StreamID: PersonState] = [:]
        var refused: [String] = []
        await simulation.generate(batchEvents: 1_000) { batch in
            for append in batch {
                let view = append.events[0]
                let recorded = RecordedEvent(
                    position: 1, stream: append.stream, streamVersion: 0, id: view.id, type: view.type, schemaVersion: view.schemaVersion,
                    recordedTime: view.effectiveTime, effectiveTime: view.effectiveTime, payload: view.payload, metadata: view.metadata, hash: .genesis)
                guard let event = try? RegistryEvent.decode(recorded) else { refused.append("undecodable"); continue }
                var state = states[append.stream] ?? PersonState()
                do {
                    try state.check(event)
                    state.apply(event, effective: view.effectiveTime)
                    states[append.stream] = state
                } catch {
                    refused.append("\(error)")
                }
            }
        }
        #expect(refused.isEmpty, "\(refused.count) refused, first: \(refused.first ?? "")")
    }

    @Test("The views of the city look like a registry in dynamic management")
    func views() async throws {
        let simulation = CitySimulation(.init(persons: 4_000, seed: 11))
        let store = InMemoryEventStore()
        try await simulation.load(into: store)
        let model = try await ProjectionEngine.rebuild(RegistryFold(), from: store)
        #expect(model.personCount == 4_000)
        let now = Timestamp(iso8601: "2025-01-01T00:00:00+08:00")!
        let totals = model.coverage(level: .province, at: now).filter { $0.type == nil && $0.area != "unknown" }
        let total = try #require(totals.first)
        let percent = try #require(total.coveragePercent)
        #expect(percent > 70 && percent < 98, "coverage \(percent)%")
        #expect(total.interrupted > 0)
        #expect(!model.worklist(at: now).isEmpty)
        let progress = model.worklistProgress(level: .county, at: now).filter { $0.area != "unknown" }
        #expect(progress.count == simulation.counties.count)
        #expect(progress.allSatisfy { $0.issued > 0 && $0.confirmed > 0 })
        let ledger = model.ledger()
        #expect(ledger.contains { $0.reason == .open } && ledger.contains { $0.reason == .enrolled })
    }
}
