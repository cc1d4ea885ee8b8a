import Foundation

/// A small hand-built JSON Lines input whose results the tests work out by hand.
///
/// Three people of county 120101 (Tianjin, Heping):
/// - A `120101198503170024`, employed, lives in community 120101001001: registered 2024-01-10, enrolled in employee
///   pension and employee medical on 2024-01-15 (positions 1, 4, 7).
/// - B `120101200005050134`, lives in 120101001002: registered 2024-02-01, found resident by the police 2024-02-02,
///   survey task dispatched 2024-02-10 (positions 2, 5, 8).
/// - E `120101199509090468`, lives in 120101002001: registered and enrolled in resident medical 2024-01-20,
///   contributions interrupted 2024-05-01 (positions 3, 6, 9).
///
/// The importer appends a batch in rounds (each stream's first line, then each stream's second, ...), hence the
/// interleaved positions.
///
/// Four lines are bad: 7 (not JSON), 8 (enrolment of a person never registered), 9 (wrong check character),
/// 14 (a second active employee-pension enrolment of A). Line 12 is blank.
enum SmallLog {
    static let a = "120101198503170024"
    static let b = "120101200005050134"
    static let e = "120101199509090468"
    /// A valid citizen ID number that is not in the log.
    static let absent = "120102199007070359"

    static let text = #"""
{"actor":"source:police","data":{"citizenID":"120101198503170024","employmentStatus":"employed","hukouAddress":"天津市和平区南京路123号","hukouDivision":"120101","name":"张三","phone":"13812345678","residenceAddress":"天津市和平区南营门街道1号","residenceDivision":"120101001001","source":"publicSecurity"},"effective":"2024-01-10","id":"6F1C1E64-2B7A-4A43-9A51-000000000001","stream":"person-120101198503170024","type":"PersonRegistered","version":1}
{"actor":"operator:ops-1","data":{"employer":"91350100M000100Y43","insuranceType":"employeePension","route":"employer"},"effective":"2024-01-15","id":"6F1C1E64-2B7A-4A43-9A51-000000000002","stream":"person-120101198503170024","type":"PersonEnrolled","version":2}
{"actor":"operator:ops-1","data":{"employer":"91350100M000100Y43","insuranceType":"employeeMedical","route":"employer"},"effective":"2024-01-15","id":"6F1C1E64-2B7A-4A43-9A51-000000000003","stream":"person-120101198503170024","type":"PersonEnrolled","version":2}
{"actor":"source:police","data":{"citizenID":"120101200005050134","hukouAddress":"天津市和平区某路1号","residenceAddress":"天津市和平区某街道2号","residenceDivision":"120101001002","name":"李四","source":"publicSecurity"},"effective":"2024-02-01","id":"6F1C1E64-2B7A-4A43-9A51-000000000004","stream":"person-120101200005050134","type":"PersonRegistered","version":1}
{"actor":"source:police","data":{"department":"publicSecurity","finding":"resident","reference":"police-2024-02"},"effective":"2024-02-02","id":"6F1C1E64-2B7A-4A43-9A51-000000000005","stream":"person-120101200005050134","type":"SourceObservationRecorded","version":1}
{"actor":"operator:ops-1","data":{"assignee":"team-12","division":"120101001002","reason":"unenrolledAfterComparison","taskID":"7D444840-9DC0-11D1-B245-5FFDCE74FAD2"},"effective":"2024-02-10","id":"6F1C1E64-2B7A-4A43-9A51-000000000006","stream":"person-120101200005050134","type":"SurveyTaskDispatched","version":1}
{"id": "broken"
{"actor":"operator:ops-1","data":{"insuranceType":"residentMedical","route":"resident"},"effective":"2024-02-01","id":"6F1C1E64-2B7A-4A43-9A51-000000000008","stream":"person-120102199007070359","type":"PersonEnrolled","version":2}
{"actor":"source:police","data":{"citizenID":"120101198503170025","hukouAddress":"天津市","residenceAddress":"天津市","name":"王五","source":"publicSecurity"},"effective":"2024-02-01","id":"6F1C1E64-2B7A-4A43-9A51-000000000009","stream":"person-120101198503170025","type":"PersonRegistered","version":1}
{"actor":"source:police","data":{"citizenID":"120101199509090468","hukouAddress":"天津市和平区某路3号","residenceAddress":"天津市和平区某街道3号","residenceDivision":"120101002001","name":"赵六","source":"publicSecurity"},"effective":"2024-01-20","id":"6F1C1E64-2B7A-4A43-9A51-000000000010","stream":"person-120101199509090468","type":"PersonRegistered","version":1}
{"actor":"operator:ops-2","data":{"insuranceType":"residentMedical","route":"resident"},"effective":"2024-01-20","id":"6F1C1E64-2B7A-4A43-9A51-000000000011","stream":"person-120101199509090468","type":"PersonEnrolled","version":2}

{"actor":"operator:ops-2","data":{"insuranceType":"residentMedical","reasonCode":"stopped-paying"},"effective":"2024-05-01","id":"6F1C1E64-2B7A-4A43-9A51-000000000012","stream":"person-120101199509090468","type":"ContributionInterrupted","version":1}
{"actor":"operator:ops-1","data":{"employer":"91350100M000100Y43","insuranceType":"employeePension","route":"employer"},"effective":"2024-03-01","id":"6F1C1E64-2B7A-4A43-9A51-000000000013","stream":"person-120101198503170024","type":"PersonEnrolled","version":2}
"""#

    /// A directory holding `small.jsonl` imported into the file store `store`.
    static func imported() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        try dir.write("small.jsonl", text)
        let result = try dir.registry("import", "--store", "store", "small.jsonl")
        guard result.status == 65, result.stdout.hasPrefix("Imported small.jsonl: 9 accepted") else {
            throw SetupFailure(description: "importing the small log: \(result)")
        }
        return dir
    }

    struct SetupFailure: Error, CustomStringConvertible {
        var description: String
    }
}
