import EventLog
import Foundation
import MemoryStore
import RegistryComparison
import RegistryDomain
import RegistryProjections
import Testing

@Suite struct SurveyDispatcherTests {
    let p1 = Fixtures.id(2), p2 = Fixtures.id(4), p3 = Fixtures.id(6, area: "120102"), p4 = Fixtures.id(8)

    /// Four persons aged 16-59, none enrolled: everyone must be visited until a feed says otherwise.
    func city(_ dir: TemporaryDirectory, _ session: inout ComparisonSession<InMemoryEventStore>) async throws -> ComparisonReport {
        let csv = """
            id_number,name,hukou_division,residence_division
            \(p1),甲,120101,120101001001
            \(p2),乙,120101,120101002001
            \(p3),丙,120102,120102001001
            \(p4),丁,120101,120101001001

            """
        return try await session.compare(.policePopulation, csv, in: dir)
    }

    @Test func feedsMakeSurveyTargetsAndInmatesTheEnrolledAndTheDeceasedLeaveThem() async throws {
        let dir = try TemporaryDirectory()
        let store = InMemoryEventStore()
        var session = ComparisonSession(store: store)
        let population = try await city(dir, &session)
        #expect(population.surveyTargets == [
            CountyTargets(county: "120101", before: 0, after: 3, new: 3),
            CountyTargets(county: "120102", before: 0, after: 1, new: 1),
        ])
        let prison = try await session.compare(.prison, "id_number,admitted_on\n\(p4),2023-01-01\n", in: dir)
        #expect(prison.surveyTargets == [
            CountyTargets(county: "120101", before: 3, after: 2, new: 0),
            CountyTargets(county: "120102", before: 1, after: 1, new: 0),
        ])
        let enrolment = try await session.compare(.socialInsurance, "id_number,insurance_type,status\n\(p2),residentMedical,paying\n\(p2),residentPension,paying\n", in: dir)
        #expect(enrolment.surveyTargets?.first == CountyTargets(county: "120101", before: 2, after: 1, new: 0))
        let deaths = try await session.compare(.civilAffairsDeaths, "id_number,death_date\n\(p3),2024-01-05\n", in: dir)
        #expect(deaths.surveyTargets?.last == CountyTargets(county: "120102", before: 1, after: 0, new: 0))
    }

    @Test func dispatchAssignsTeamsByCommunityAndNeverTwice() async throws {
        let dir = try TemporaryDirectory()
        let store = InMemoryEventStore()
        var session = ComparisonSession(store: store)
        _ = try await city(dir, &session)
        let mapping = try dir.write("teams.csv", "division,team\n120101001001,team-1\n120101002,team-2\n")
        let dispatcher = SurveyDispatcher(store: store, teams: try TeamAssignment(contentsOf: mapping))
        let area = try DivisionCode("120101")
        let first = try await dispatcher.dispatch(area: area)
        #expect(first.toDispatch == 3 && first.dispatched == 3 && first.unassigned == 0)
        #expect(first.rows == [
            DispatchRow(community: "120101001001", team: "team-1", persons: 2),
            DispatchRow(community: "120101002001", team: "team-2", persons: 1),
        ])
        let tasks = try await Fixtures.events(store).compactMap { e, r -> (String, SurveyTaskDispatched)? in
            if case .surveyTaskDispatched(let t) = r { return (e.stream.rawValue, t) }
            return nil
        }
        #expect(Set(tasks.map(\.0)) == ["person-\(p1)", "person-\(p2)", "person-\(p4)"])
        #expect(tasks.first { $0.0 == "person-\(p2)" }?.1.assignee == "team-2")
        #expect(tasks.allSatisfy { $0.1.reason == .unenrolledAfterComparison })

        let second = try await dispatcher.dispatch(area: area)
        #expect(second.toDispatch == 0 && second.dispatched == 0)
        #expect(try await Fixtures.events(store).count == 11)  // 8 from the feed, 3 tasks

        // The worklist now shows the tasks dispatched.
        let model = try await ProjectionEngine.rebuild(RegistryFold(), from: store)
        let states = model.worklist(at: .now).filter { Area.truncate($0.division, to: .county) == area.padded }.map(\.state)
        #expect(states == [.dispatched, .dispatched, .dispatched])

        // No team for 120102: reported, not dispatched.
        let other = try await dispatcher.dispatch(area: try DivisionCode("120102"))
        #expect(other.toDispatch == 1 && other.unassigned == 1 && other.dispatched == 0)
    }

    @Test func teamMappingsReadFromJSONAndCSV() throws {
        let dir = try TemporaryDirectory()
        let json = try TeamAssignment(contentsOf: try dir.write("t.json", #"{"120101001001": "a", "120101": "b", "*": "z"}"#))
        #expect(json.team(for: try DivisionCode("120101001001").padded) == "a")
        #expect(json.team(for: try DivisionCode("120101002003").padded) == "b")
        #expect(json.team(for: try DivisionCode("120102001001").padded) == "z")
        #expect { _ = try TeamAssignment(contentsOf: try dir.write("bad.csv", "division,team\n12010,a\n")) } throws: {
            ($0 as? ComparisonError)?.code == .badMapping && ($0 as? ComparisonError)?.line == 2
        }
    }
}
