import Foundation
import Testing

/// `registry compare` and `registry dispatch`, run as an operator would, on a file store and on PostgreSQL.
@Suite struct CompareCommandTests {
    static let a = "120101198503170024", b = "120101198503170040", c = "120102199001010048"
    static let police = """
        id_number,name,ethnicity,hukou_type,hukou_division,hukou_address,residence_division,residence_address,phone
        \(a),张三,汉族,非农业,120101,天津市和平区南京路1号,120101001001,天津市和平区1号,13812345678
        \(b),李四,汉族,农业,120101,天津市和平区2号,120101002001,天津市和平区3号,
        \(c),王五,汉族,,120102,,120102001001,,
        123456789012345678,赵六,,,,,,,

        """

    /// Compares, re-compares, dispatches twice and checks the worklist, on the store named by `store`.
    static func workflow(store: String, in dir: TemporaryDirectory) throws {
        try dir.write("police-2024-03-01.csv", police)
        let first = try dir.registry("compare", "--store", store, "--source", "police-population", "police-2024-03-01.csv")
        // A rejected row ends the run as a rejected import line does: EX_DATAERR, one line in the same shape.
        #expect(first.status == 65, "\(first)")
        #expect(first.stderr.hasSuffix(ImportCommandTests.rejectedLine("1 of 4 rows", "police-2024-03-01.csv")), "\(first)")
        #expect(first.lines.first?.hasPrefix("Compared police-2024-03-01.csv (police-population, publicSecurity, 2024-03-01, utf-8): 4 rows in ") == true, "\(first)")
        #expect(first.lines.first?.hasSuffix("6 facts appended (log head 6)") == true, "\(first)")
        #expect(first.lines[3].split(separator: " ").map(String.init) == ["4", "0", "3", "3", "0", "0", "1", "0"], "\(first)")
        #expect(first.stdout.contains("  line 5: invalid-id-number: "))
        #expect(first.stdout.contains("120101       0      2    2"), "\(first)")
        #expect(first.stdout.contains("120102       0      1    1"), "\(first)")
        #expect(!first.stdout.contains("123456789012345678") && !first.stdout.contains("张三"))

        // The same feed again: nothing appended; the JSON report says so.
        let again = try dir.registry("compare", "--store", store, "--source", "police", "police-2024-03-01.csv", "--format", "json")
        #expect(again.status == 65 && again.stderr.hasSuffix(ImportCommandTests.rejectedLine("1 of 4 rows", "police-2024-03-01.csv")), "\(again)")
        let reports = try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as! [[String: Any]]
        #expect(reports.count == 1)
        #expect(reports[0]["eventsAppended"] as? Int == 0)
        #expect(reports[0]["matched"] as? Int == 3 && reports[0]["unchanged"] as? Int == 3 && reports[0]["rejected"] as? Int == 1)
        #expect(reports[0]["headPosition"] as? Int == 6)

        // A tax feed with a 15-digit legacy number and a lower-case x is matched; a prison feed takes a person off the list.
        try dir.write("tax.csv", "id_number,employer_credit_code\n120101850317004,\n")
        let tax = try dir.registry("compare", "--store", store, "--source", "tax", "--date", "2024-03-05", "tax.csv", "--no-targets")
        #expect(tax.status == 0 && !tax.stderr.contains("rejected"), "no row rejected: success \(tax)")
        #expect(tax.lines[3].split(separator: " ").map(String.init) == ["1", "1", "0", "0", "1", "0", "0", "0"], "\(tax)")
        try dir.write("prison-2024-03-10.csv", "id_number,admitted_on\n\(c),2024-01-01\n")
        let prison = try dir.registry("compare", "--store", store, "--source", "prison", "prison-2024-03-10.csv")
        #expect(prison.stdout.contains("120102       1      0    0"), "\(prison)")

        // Dispatch twice: nobody twice.
        try dir.write("teams.json", #"{"120101001": "team-1", "*": "team-9"}"#)
        let dispatch = try dir.registry("dispatch", "--store", store, "--area", "120101", "--teams", "teams.json")
        #expect(dispatch.status == 0, "\(dispatch)")
        #expect(dispatch.lines.first == "Dispatched 2 of 2 to dispatch in 120101", "\(dispatch)")
        #expect(dispatch.stdout.contains("120101001001  team-1        1"))
        #expect(dispatch.stdout.contains("120101002001  team-9        1"))
        let twice = try dir.registry("dispatch", "--store", store, "--area", "120101", "--teams", "teams.json")
        #expect(twice.lines.first == "Dispatched 0 of 0 to dispatch in 120101", "\(twice)")
        let worklist = try dir.registry("worklist", "--store", store, "--list", "--format", "csv")
        #expect(worklist.lines.filter { $0.contains(",dispatched,") }.count == 2, "\(worklist)")
        #expect(!worklist.stdout.contains("1201**********0048"), "\(worklist)")  // the inmate is not on the list
    }

    @Test func compareAndDispatchOnAFileStore() throws {
        let dir = try TemporaryDirectory()
        try Self.workflow(store: "data", in: dir)
    }

    @Test("rejected rows in any of several feeds: every report printed, then EX_DATAERR naming the feeds with rejections")
    func rejectedRowsInSeveralFeeds() throws {
        let dir = try TemporaryDirectory()
        try dir.write("tax-2024-03-01.csv", "id_number,employer_credit_code\n\(Self.a),\n\(Self.b),\n")
        try dir.write("tax-2024-03-02.csv", "id_number,employer_credit_code\n\(Self.a),\n123,\n\(Self.c),\n")
        let run = try dir.registry("compare", "--store", "data", "--source", "tax", "tax-2024-03-01.csv", "tax-2024-03-02.csv", "--no-targets")
        #expect(run.status == 65, "\(run)")
        #expect(run.lines.filter { $0.hasPrefix("Compared ") }.count == 2, "both reports printed: \(run)")
        #expect(run.stderr.hasSuffix(ImportCommandTests.rejectedLine("1 of 5 rows", "tax-2024-03-02.csv")), "\(run)")
        let json = try dir.registry("compare", "--store", "data", "--source", "tax", "tax-2024-03-02.csv", "--format", "json", "--no-targets")
        #expect(json.status == 65 && json.stderr.hasSuffix(ImportCommandTests.rejectedLine("1 of 3 rows", "tax-2024-03-02.csv")), "\(json)")
    }

    @Test func aGB18030FeedThroughTheCommand() throws {
        let dir = try TemporaryDirectory()
        // 张三,汉族 in GB18030.
        let gb: [UInt8] = [0xD5, 0xC5, 0xC8, 0xFD, 0x2C, 0xBA, 0xBA, 0xD7, 0xE5]
        let bytes = Array("id_number,name,ethnicity,residence_division\n\(Self.a),".utf8) + gb + Array(",120101001001\n".utf8)
        try Data(bytes).write(to: dir.url.appendingPathComponent("police-gb-2024-03-01.csv"))
        let run = try dir.registry("compare", "--store", "data", "--source", "police", "police-gb-2024-03-01.csv")
        #expect(run.lines.first?.contains("(police-population, publicSecurity, 2024-03-01, gb18030)") == true, "\(run)")
        let history = try dir.registry("history", "--store", "data", Self.a)
        #expect(history.stdout.contains("name=张") && history.stdout.contains(" ethnicity=汉族 "), "\(history)")
    }

    @Test func badFeedsFailWithOneLineAndAppendNothing() throws {
        let dir = try TemporaryDirectory()
        try dir.write("tax-2024-03-01.csv", "id,employer\n1,2\n")
        let header = try dir.registry("compare", "--store", "data", "--source", "tax", "tax-2024-03-01.csv")
        #expect(header.status == 65, "a bad header is the feed's data: EX_DATAERR")
        #expect(header.stderr.contains("bad-header: the header has no column id_number"), "\(header)")
        try dir.write("tax.csv", "id_number\n")
        let noDate = try dir.registry("compare", "--store", "data", "--source", "tax", "tax.csv")
        #expect(noDate.status == 64 && noDate.stderr.contains("--date"), "\(noDate)")
        let kind = try dir.registry("compare", "--store", "data", "--source", "weather", "tax.csv")
        #expect(kind.status == 64 && kind.stderr.contains("unknown feed kind"), "\(kind)")
        let verify = try dir.registry("verify", "--store", "data")
        #expect(verify.stdout.hasPrefix("intact up to 0") || verify.status != 0, "\(verify)")
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["REGISTRY_TEST_PG"]?.hasPrefix("postgres") == true))
    func compareAndDispatchOnPostgreSQL() throws {
        // A database of its own, so the other PostgreSQL tests' log is not touched.
        let url = ProcessInfo.processInfo.environment["REGISTRY_TEST_PG"]!
        let name = "registry_compare_" + UUID().uuidString.prefix(8).lowercased()
        let create = Process()
        create.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        create.arguments = ["psql", url, "-q", "-c", "CREATE DATABASE \(name)"]
        try create.run()
        create.waitUntilExit()
        try #require(create.terminationStatus == 0, "psql could not create a database")
        var parts = try #require(URLComponents(string: url))
        parts.path = "/" + name
        let dir = try TemporaryDirectory()
        try Self.workflow(store: parts.string!, in: dir)
    }
}
