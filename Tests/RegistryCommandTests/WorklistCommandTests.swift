import Testing

@Suite("registry worklist")
struct WorklistCommandTests {
    @Test func listsThePeopleToVisit() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("worklist", "--store", "store", "--list", "--format", "csv", "--as-of", "2024-06-30")
        #expect(result.status == 0)
        #expect(result.lines == [
            "community,street,county,person,state,age_days,rejections,missing",
            "120101001001,120101001,120101,1201**********0024,to dispatch,172,0,work-injury",
            "120101001002,120101001,120101,1201**********0134,dispatched,141,0,medical pension",
            "120101002001,120101002,120101,1201**********0468,to dispatch,162,0,pension",
        ])
    }

    @Test func progressByArea() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("worklist", "--store", "store", "--progress", "--format", "csv", "--as-of", "2024-06-30")
        #expect(result.lines == ["area,to_dispatch,issued,screened,screened_percent,confirmed,confirmed_percent,sent_back", "120101,2,1,0,0.0,0,0.0,0"])
    }

    @Test func bothTablesByDefault() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("worklist", "--store", "store", "--as-of", "2024-06-30", "--limit", "1")
        #expect(result.lines.first == "Survey progress by county")
        #expect(result.lines.contains("Survey worklist: 3 people (first 1)"))
        let csv = try dir.registry("worklist", "--store", "store", "--format", "csv")
        #expect(csv.status == 64, "csv needs one table")
    }
}
