import Testing

@Suite("registry stats")
struct StatsCommandTests {
    @Test func monthlyStatisticsByCounty() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("stats", "--store", "store", "--format", "csv")
        #expect(result.status == 0)
        #expect(result.lines == [
            "county,month,new_unenrolled_found,cleared,moved_in,moved_out,still_open,active_enrolments,interrupted,interruption_percent",
            "120101,2024-01,2,0,0,0,2,3,0,0.0",
            "120101,2024-02,1,0,0,0,3,3,0,0.0",
            "120101,2024-05,0,0,0,0,3,3,1,33.3",
            "all,2024-01,2,0,0,0,2,3,0,0.0",
            "all,2024-02,1,0,0,0,3,3,0,0.0",
            "all,2024-05,0,0,0,0,3,3,1,33.3",
        ])
    }
}
