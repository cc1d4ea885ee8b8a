import Testing

@Suite("registry ledger")
struct LedgerCommandTests {
    @Test func casesWithEntryAndFollowUps() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("ledger", "--store", "store", "--cases", "--open-only", "--format", "csv", "--as-of", "2024-06-30")
        #expect(result.status == 0)
        #expect(result.lines == [
            "person,county,entered,entered_at_position,follow_ups,last_follow_up,cleared,reason,missing",
            "1201**********0024,120101,2024-01-10,1,2,2024-01-15,-,open,work-injury",
            "1201**********0468,120101,2024-01-20,3,2,2024-05-01,-,open,pension",
            "1201**********0134,120101,2024-02-01,2,2,2024-02-10,-,open,medical pension",
        ])
    }

    @Test func interruptedContributors() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("ledger", "--store", "store", "--interruptions", "--format", "csv", "--as-of", "2024-06-30")
        #expect(result.lines == ["person,county,type,since,days", "1201**********0468,120101,residentMedical,2024-05-01,60"])
    }

    @Test func bothTablesByDefault() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("ledger", "--store", "store", "--as-of", "2024-06-30")
        #expect(result.lines.first == "Dynamic-management ledger: 3 open, 0 cleared")
        #expect(result.lines.contains("Interrupted contributors: 1"))
    }
}
