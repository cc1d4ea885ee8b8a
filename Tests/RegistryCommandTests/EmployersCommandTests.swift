import Testing

@Suite("registry employers, screening, targets, progress", .serialized)
struct EmployersCommandTests {
    typealias L = EmployerSmallLog

    @Test func employerCoverageAsCSV() throws {
        let dir = try L.imported()
        let result = try dir.registry("employers", "--store", "store", "--format", "csv")
        #expect(result.status == 0)
        #expect(result.lines == [
            "credit_code,name,area,registered,insured_unit,staff,from_sources,enrolled,enrolled_employeePension,enrolled_employeeMedical,"
                + "enrolled_workInjury,enrolled_unemployment,enrolled_maternity,not_enrolled,selective,coverage_percent",
            "91120101MA05KT5X1J,天津乙劳务派遣有限公司,120102,yes,no,1,1,0,0,0,0,0,0,1,0,0.0",
            "91350100M000100Y43,天津甲制造有限公司,120101,yes,yes,2,2,1,1,1,0,0,0,1,1,50.0",
        ])
        let totals = try dir.registry("employers", "--store", "store", "--totals", "--format", "csv")
        #expect(totals.lines == [
            "area,employers,registered,insured_units,with_unenrolled,staff,enrolled,not_enrolled,selective,coverage_percent",
            "120101,1,1,1,1,2,1,1,1,50.0",
            "120102,1,1,0,1,1,0,1,0,0.0",
        ])
        // Before the enrolments nobody is enrolled through E1.
        let early = try dir.registry("employers", "--store", "store", "--totals", "--format", "csv", "--as-of", "2024-02-05")
        #expect(early.lines[1] == "120101,1,1,1,1,2,0,2,0,0.0")
    }

    @Test func screeningWorklistDispatchAndProgress() throws {
        let dir = try L.imported()
        let list = try dir.registry("screening", "--store", "store", "--format", "csv", "--min-unenrolled", "1")
        #expect(list.lines == [
            "area,credit_code,name,state,task,reasons,staff,not_enrolled,persons",
            "120101,91350100M000100Y43,天津甲制造有限公司,toDispatch,-,unenrolledStaff,2,1,1",
            "120102,91120101MA05KT5X1J,天津乙劳务派遣有限公司,toDispatch,-,unenrolledStaff neverInsured suspectedLabourDispatch,1,1,1",
        ])
        // The default N = 50: only E2 (never insured, labour dispatch).
        let standard = try dir.registry("screening", "--store", "store", "--format", "csv")
        #expect(standard.lines.count == 2 && standard.lines[1].hasPrefix("120102,91120101MA05KT5X1J"))
        let dispatch = try dir.registry("screening", "--store", "store", "--dispatch", "--min-unenrolled", "1", "--by", "operator:ops-9")
        #expect(dispatch.status == 0)
        #expect(dispatch.stdout == "Dispatched 2 screening tasks (2 persons)\n")
        let after = try dir.registry("screening", "--store", "store", "--format", "csv", "--min-unenrolled", "1")
        #expect(after.lines.dropFirst().map { $0.split(separator: ",")[3] } == ["issued", "issued"])
        let progress = try dir.registry("screening", "--store", "store", "--progress", "--format", "csv")
        #expect(progress.lines == [
            "area,to_dispatch,issued_units,issued_persons,screened_units,screened_persons,screened_units_percent,screened_persons_percent,confirmed,rectified,referred",
            "total,0,2,2,0,0,0.0,0.0,0,0,0",
            "120101,0,1,1,0,0,0.0,0.0,0,0,0",
            "120102,0,1,1,0,0,0.0,0.0,0,0,0",
        ])
        // history and explain work for an employer.
        let history = try dir.registry("history", "--store", "store", L.e2, "--format", "csv")
        #expect(history.status == 0)
        #expect(history.lines.count == 3)
        #expect(history.lines[2].contains("EmployerScreeningDispatched,operator:ops-9,") && history.lines[2].contains("reasons=unenrolledStaff"))
        let explain = try dir.registry("explain", "--store", "store", L.e2, "--min-unenrolled", "1")
        #expect(explain.status == 0)
        #expect(explain.stdout.contains("staff 1 (1 named by sources), enrolled through it 0, not enrolled 1, selective 0"))
        #expect(explain.stdout.contains("registered in 120102"))
    }

    @Test("The layout of seed 004 annex 3: area, contributors, plan, completion, the total first")
    func seedAnnex3Layout() throws {
        let dir = try L.imported()
        let csv = try dir.registry("progress", "--store", "store", "--plan", "employeePension", "--format", "csv", "--as-of", "2024-06-30")
        #expect(csv.status == 0)
        #expect(csv.lines == [
            "area,contributors,plan,completion_percent",
            "total,2,3,66.7",
            "120101,1,2,50.0",
            "120102,1,1,100.0",
        ])
        let table = try dir.registry("progress", "--store", "store", "--plan", "employeePension", "--as-of", "2024-06-30")
        #expect(table.lines.first == "employeePension: contributors on 2024-06-30 against the plan")
        #expect(table.stdout.contains("66.7%") && table.stdout.contains("100.0%"))
    }

    @Test func targetsSetListAndProgress() throws {
        let dir = try L.imported()
        // Revise 120101's plan to 1 from 2024-03-01: progress before and after.
        let set = try dir.registry("targets", "set", "--store", "store", "--area", "120101", "--type", "employeePension", "--kind", "contributors",
                                   "--from", "2024-01", "--to", "2024-12", "--value", "1", "--effective", "2024-03-01", "--note", "revised")
        #expect(set.status == 0)
        #expect(set.stdout.hasPrefix("Target set in target-120101 at position"))
        let list = try dir.registry("targets", "list", "--store", "store", "--format", "csv")
        #expect(list.lines.count == 4)
        #expect(list.lines[1].hasPrefix("120101,employeePension,contributors,2024-01,2024-12,2,2024-01-01,"))
        #expect(list.lines[2].hasPrefix("120101,employeePension,contributors,2024-01,2024-12,1,2024-03-01,"))
        let before = try dir.registry("progress", "--store", "store", "--format", "csv", "--as-of", "2024-02-29")
        #expect(before.lines.contains("120101,employeePension,contributors,2024-01,2024-12,1,2,50.0,1,no,2,1,2024-01-01"))
        let after = try dir.registry("progress", "--store", "store", "--format", "csv", "--as-of", "2024-06-30")
        #expect(after.lines[0] == "area,type,kind,from,to,actual,target,completion_percent,gap,met,rank,revisions,since")
        #expect(after.lines.contains("120100 total,employeePension,contributors,2024-01,2024-12,2,2,100.0,0,yes,-,2,2024-03-01"))
        #expect(after.lines.contains("120101,employeePension,contributors,2024-01,2024-12,1,1,100.0,0,yes,1,2,2024-03-01"))
        let bad = try dir.registry("targets", "set", "--store", "store", "--area", "120101", "--kind", "coverageRate",
                                   "--from", "2024-01", "--to", "2024-12", "--value", "120")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("invalid-target"))
        let series = try dir.registry("progress", "--store", "store", "--series", "--from", "2024-01", "--to", "2024-03", "--type", "employeePension", "--format", "csv")
        #expect(series.lines == [
            "area,type,month,contributors,new_enrolments,interruptions,interruption_percent,coverage_percent",
            "120101,employeePension,2024-01,0,0,0,,0.0",
            "120101,employeePension,2024-02,1,1,0,0.0,33.3",
            "120101,employeePension,2024-03,1,0,0,0.0,33.3",
            "120102,employeePension,2024-01,0,0,0,,0.0",
            "120102,employeePension,2024-02,1,1,0,0.0,100.0",
            "120102,employeePension,2024-03,1,0,0,0.0,100.0",
        ])
    }
}
