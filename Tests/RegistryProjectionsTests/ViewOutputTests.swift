import EventLog
import Foundation
import MemoryStore
import RegistryDomain
@testable import RegistryProjections
@testable import registry
import Testing

/// The command's rendering of the views' typed rows (tables, CSV, JSON).
@Suite("View output")
struct ViewOutputTests {
    static let now = RegistryFoldTests.now

    @Test("Views print as a table, CSV and JSON")
    func output() async throws {
        let log = try await CityLog()
        let model = try await RegistryFoldTests.build(log)
        let table = model.coverageTable(level: .county, at: Self.now, totalsOnly: true)
        #expect(table.render(.table).contains("120101"))
        let csv = table.render(.csv).split(separator: "\n")
        #expect(csv.first == "area,type,known,registered,should_be_insured,enrolled,paying,interrupted,not_enrolled,exempt,coverage_percent,registration_percent")
        #expect(csv.contains("120101,all,6,6,5,3,2,1,2,1,60.0,100.0"))
        #expect(table.render(.table).contains("60.0%"))
        let json = try JSONSerialization.jsonObject(with: Data(table.render(.json).utf8)) as? [[String: Any]]
        #expect(json?.first { $0["area"] as? String == "120101" }?["not_enrolled"] as? Int == 2)
        #expect(json?.first { $0["area"] as? String == "120101" }?["coverage_percent"] as? Double == 60.0)
        for text in [model.worklistTable(at: Self.now).render(.csv), model.ledgerTable(at: Self.now, includeCleared: true).render(.table)] {
            #expect(!text.contains(CityLog.b.value))
        }
    }

    @Test("An explanation prints masked")
    func explanationTable() async throws {
        let log = try await CityLog()
        let events = try await log.store.readStream(CityLog.b.streamID)
        let explanation = try RegistryFold.explain(events)
        let table = explanation.table().render(.table)
        #expect(!table.contains(CityLog.b.value), "the full ID number must not be shown")
        #expect(table.contains(PersonKey.maskedCitizenID(PersonKey.key(CityLog.b.streamID)!)))
    }

    @Test("View rows are Codable: encoded and decoded back, they are equal")
    func rowsAreCodable() async throws {
        let log = try await CityLog()
        let model = try await RegistryFoldTests.build(log)
        let coverage = model.coverage(level: .county, at: Self.now)
        #expect(try JSONDecoder().decode([CoverageRow].self, from: JSONEncoder().encode(coverage)) == coverage)
        let worklist = model.worklist(at: Self.now)
        #expect(!worklist.isEmpty)
        #expect(try JSONDecoder().decode([WorklistEntry].self, from: JSONEncoder().encode(worklist)) == worklist)
        let ledger = model.ledger()
        #expect(try JSONDecoder().decode([LedgerEntry].self, from: JSONEncoder().encode(ledger)) == ledger)
        let monthly = model.monthlyStatistics()
        #expect(try JSONDecoder().decode([MonthlyStatistics].self, from: JSONEncoder().encode(monthly)) == monthly)
    }
}
