import Testing

@Suite("registry coverage")
struct CoverageCommandTests {
    static let header = "area,type,known,registered,should_be_insured,enrolled,paying,interrupted,not_enrolled,exempt,coverage_percent,registration_percent"

    @Test func totalsAsOfAnEffectiveDate() throws {
        let dir = try SmallLog.imported()
        // 30 June: A paying, E interrupted, B never enrolled.
        let june = try dir.registry("coverage", "--store", "store", "--totals", "--format", "csv", "--as-of", "2024-06-30")
        #expect(june.status == 0)
        #expect(june.lines == [Self.header, "120101,all,3,3,3,2,1,1,3,0,0.0,100.0"])
        // 31 January: B not yet registered, E not yet interrupted.
        let january = try dir.registry("coverage", "--store", "store", "--totals", "--format", "csv", "--as-of", "2024-01-31")
        #expect(january.lines == [Self.header, "120101,all,2,2,2,2,2,0,2,0,0.0,100.0"])
    }

    @Test func nothingWasKnownBeforeTheImport() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("coverage", "--store", "store", "--totals", "--format", "csv", "--known-at", "2020-01-01T00:00:00Z")
        #expect(result.lines == [Self.header])
    }

    @Test func oneTypeByStreet() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry(
            "coverage", "--store", "store", "--type", "residentMedical", "--level", "street", "--format", "csv", "--as-of", "2024-06-30")
        #expect(result.lines == [
            Self.header,
            // A is an employee: the employee scheme is theirs, so only B should hold resident medical in 120101001.
            "120101001,residentMedical,2,2,1,0,0,0,1,0,0.0,100.0",
            "120101002,residentMedical,1,1,1,1,0,1,0,0,100.0,100.0",
        ])
    }

    @Test func tableAndJSON() throws {
        let dir = try SmallLog.imported()
        let table = try dir.registry("coverage", "--store", "store", "--totals", "--as-of", "2024-06-30")
        #expect(table.lines.first == "Coverage by county as of 2024-06-30 (residence basis)")
        #expect(table.lines.count == 4)
        let json = try dir.registry("coverage", "--store", "store", "--totals", "--format", "json", "--as-of", "2024-06-30", "--basis", "hukou")
        #expect(json.stdout.hasPrefix("[{\"area\":"))
        // On the hukou basis only A's hukou division is known: B and E count under `unknown`, not where they live.
        #expect(json.stdout.contains(#"{"area":"120101","type":"all","known":1,"#))
        #expect(json.stdout.contains(#"{"area":"unknown","type":"all","known":2,"#))
    }

    @Test func badDateIsAUsageError() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("coverage", "--store", "store", "--as-of", "June")
        #expect(result.status == 64)
        #expect(result.stderr.contains("--as-of takes YYYY-MM-DD"))
    }
}
