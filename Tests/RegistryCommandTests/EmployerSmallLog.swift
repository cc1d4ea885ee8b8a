import Foundation

/// A small JSON Lines log of employers, staff and targets whose figures the command tests work out by hand.
///
/// - E1 `91350100M000100Y43` 甲制造, registered in 120101, insured unit; E2 `91120101MA05KT5X1J` 乙劳务派遣, 120102,
///   never insured.
/// - A (120101): tax names E1; employee pension and medical through E1 (selective). B (120101): tax names E1, not
///   enrolled. C (120101): tax names E2, not enrolled. D (lives in 120102): employee pension as a flexible worker.
/// - Targets, employee-pension contributors 2024-01..2024-12: 120101 2, 120102 1.
enum EmployerSmallLog {
    static let e1 = "91350100M000100Y43", e2 = "91120101MA05KT5X1J"
    static let a = "120101198503170024", b = "120101200005050134", c = "120101199509090468", d = "120102199007070359"
    /// A line with `@ID@` in place of its id (numbered in order by ``text``).
    static func line(_ stream: String, _ type: String, _ date: String, _ data: String) -> String {
        #"{"actor":"operator:ops-1","data":\#(data),"effective":"\#(date)","id":"@ID@","stream":"\#(stream)","type":"\#(type)","version":\#(type == "PersonEnrolled" ? 2 : 1)}"#
    }

    static func registered(_ p: String, _ area: String) -> String {
        line("person-" + p, "PersonRegistered", "2024-01-05", #"{"citizenID":"\#(p)","employmentStatus":"employed","hukouAddress":"天津市","hukouDivision":"\#(area)","name":"张三","residenceAddress":"天津市某街道","residenceDivision":"\#(area)001001","source":"publicSecurity"}"#)
    }

    static var text: String {
        [
            line("employer-" + e1, "EmployerRegistered", "2024-01-02", #"{"creditCode":"\#(e1)","division":"120101","name":"天津甲制造有限公司"}"#),
            line("employer-" + e1, "EmployerInsuredUnitRegistered", "2024-01-03", #"{"agencyDivision":"120101","unitNumber":"U-1"}"#),
            line("employer-" + e2, "EmployerRegistered", "2024-01-02", #"{"creditCode":"\#(e2)","division":"120102","name":"天津乙劳务派遣有限公司"}"#),
            registered(a, "120101"), registered(b, "120101"), registered(c, "120101"), registered(d, "120102"),
            line("person-" + a, "SourceObservationRecorded", "2024-02-01", #"{"department":"tax","employer":"\#(e1)","finding":"employedAt"}"#),
            line("person-" + b, "SourceObservationRecorded", "2024-02-01", #"{"department":"tax","employer":"\#(e1)","finding":"employedAt"}"#),
            line("person-" + c, "SourceObservationRecorded", "2024-02-01", #"{"department":"tax","employer":"\#(e2)","finding":"employedAt"}"#),
            line("person-" + a, "PersonEnrolled", "2024-02-10", #"{"employer":"\#(e1)","insuranceType":"employeePension","route":"employer"}"#),
            line("person-" + a, "PersonEnrolled", "2024-02-10", #"{"employer":"\#(e1)","insuranceType":"employeeMedical","route":"employer"}"#),
            line("person-" + d, "PersonEnrolled", "2024-02-10", #"{"insuranceType":"employeePension","route":"flexibleEmployment"}"#),
            line("target-120101", "TargetSet", "2024-01-01", #"{"area":"120101","from":"2024-01","insuranceType":"employeePension","kind":"contributors","to":"2024-12","value":2}"#),
            line("target-120102", "TargetSet", "2024-01-01", #"{"area":"120102","from":"2024-01","insuranceType":"employeePension","kind":"contributors","to":"2024-12","value":1}"#),
        ].enumerated().map { n, line in
            line.replacingOccurrences(of: "@ID@", with: String(format: "6F1C1E64-2B7A-4A43-9A51-%012d", 500 + n))
        }.joined(separator: "\n") + "\n"
    }

    /// A directory holding `employers.jsonl` imported into the file store `store`.
    static func imported() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        try dir.write("employers.jsonl", text)
        let result = try dir.registry("import", "--store", "store", "employers.jsonl")
        guard result.status == 0 else { throw SmallLog.SetupFailure(description: "importing the employer log: \(result)") }
        return dir
    }
}
