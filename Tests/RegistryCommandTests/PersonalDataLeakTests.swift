import Foundation
import Testing
import RegistryDomain

/// Every rejection path of `registry import`, fed a line that carries known personal values (a name, a phone, an
/// address, ID numbers) in the field at fault and around it: none of them may appear on standard output, standard
/// error or in any file the command wrote.
@Suite("personal data never leaks")
struct PersonalDataLeakTests {
    // The probe's personal values: they appear only in the rejected lines.
    static let name = "欧阳明月"
    static let phone = "13987654321"
    static let address = "上海市浦东新区世纪大道100号"
    static let id = "310104198801016513"  // valid, never registered
    static let badID = "310104198801016514"  // wrong check character
    static let probes = [name, phone, address, id, badID, "3101041988010165", "1398765", "世纪大道", "欧阳"]

    static let a = "person-120101198503170024"  // registered by the setup
    static let d = "person-120101199509090468"  // registered, then deceased
    static let employer = "employer-91350100M000100Y43"
    static let t1 = "7D444840-9DC0-11D1-B245-000000000001"  // dispatched
    static let t2 = "7D444840-9DC0-11D1-B245-000000000002"  // observed
    static let t3 = "7D444840-9DC0-11D1-B245-000000000003"  // confirmed by the district
    static let t9 = "7D444840-9DC0-11D1-B245-000000000009"  // never dispatched
    static let s1 = "7D444840-9DC0-11D1-B245-0000000000E1"  // an employer screening task, issued

    /// The metadata every probe line carries.
    static let carried = #""actor":"\#(name) \#(phone)","headers":{"note":"\#(address) \#(id)"}"#

    static func line(_ n: Int, _ stream: String, _ type: String, _ data: String, version: Int = 1, carry: Bool = true) -> String {
        let uuid = String(format: "6F1C1E64-2B7A-4A43-9A51-%012d", n)
        let meta = carry ? carried + "," : #""actor":"setup","#
        return #"{\#(meta)"data":\#(data),"effective":"2024-03-01","id":"\#(uuid)","stream":"\#(stream)","type":"\#(type)","version":\#(version)}"#
    }

    static func registration(_ citizenID: String, name: String, phone: String, address: String) -> String {
        #"{"citizenID":"\#(citizenID)","name":"\#(name)","phone":"\#(phone)","hukouAddress":"\#(address)","residenceAddress":"\#(address)","source":"publicSecurity"}"#
    }

    static func observation(_ task: String, surveyors: String = #"["S-1"]"#, name: String = "赵一") -> String {
        #"{"taskID":"\#(task)","surveyorIDs":\#(surveyors),"deviceID":"APP-1","visitedAt":"2024-03-02T08:00:00Z","outcome":"completed","name":"\#(name)","sex":"female","certificateNumber":"120101198503170024","hukouPlace":"天津市河西区友谊路1号","residence":"天津市河西区友谊路1号"}"#
    }

    static func review(_ task: String, _ level: String, _ decision: String, reason: String = "") -> String {
        #"{"taskID":"\#(task)","level":"\#(level)","decision":"\#(decision)","reason":"\#(reason)","reviewerID":"R-1"}"#
    }

    /// Accepted lines with other personal values, that set up the states the rules refuse from.
    static let setup: [String] = [
        line(1, a, "PersonRegistered", registration("120101198503170024", name: "赵一", phone: "13700000000", address: "天津市河西区友谊路1号"), carry: false),
        line(2, d, "PersonRegistered", registration("120101199509090468", name: "钱二", phone: "13700000001", address: "天津市河西区友谊路2号"), carry: false),
        line(3, d, "PersonDataCorrected", #"{"corrections":[{"field":"vitalStatus","value":"deceased"}],"basis":"sourceData"}"#, carry: false),
        line(4, employer, "EmployerRegistered", #"{"creditCode":"91350100M000100Y43","name":"某某商贸有限公司","division":"350100"}"#, carry: false),
        line(5, a, "PersonEnrolled", #"{"insuranceType":"employeePension","route":"employer","employer":"91350100M000100Y43"}"#, version: 2, carry: false),
        line(6, a, "SurveyTaskDispatched", #"{"taskID":"\#(t1)","reason":"dataIncomplete","division":"120101001001"}"#, carry: false),
        line(7, a, "SurveyTaskDispatched", #"{"taskID":"\#(t2)","reason":"dataIncomplete","division":"120101001001"}"#, carry: false),
        line(8, a, "SurveyObservationRecorded", observation(t2), carry: false),
        line(9, a, "SurveyTaskDispatched", #"{"taskID":"\#(t3)","reason":"dataIncomplete","division":"120101001001"}"#, carry: false),
        line(10, a, "SurveyObservationRecorded", observation(t3), carry: false),
        line(11, a, "SurveyReviewed", review(t3, "street", "approve"), carry: false),
        line(12, a, "SurveyReviewed", review(t3, "district", "approve"), carry: false),
        line(13, employer, "EmployerScreeningDispatched", #"{"taskID":"\#(s1)","division":"350100","reasons":["neverInsured"],"persons":1}"#, carry: false),
    ]

    static let probeRegistration = registration(id, name: name, phone: phone, address: address)

    /// One line per rejection path, with the code it must get.
    static let probeLines: [(code: String, text: String)] = [
        ("malformed-json", #"{"name":"\#(name)","phone":"\#(phone)","address":"\#(address)","id":"\#(id)","#),
        ("malformed-json", line(100, "person-" + id, "PersonRegistered", probeRegistration.replacingOccurrences(of: #""source""#, with: #""\#(name)":'\#(phone)',"source""#))),
        ("invalid-utf8", line(101, "person-" + id, "PersonRegistered", probeRegistration.replacingOccurrences(of: name, with: name + "\u{FFFD}"))),
        ("lone-surrogate", line(102, "person-" + id, "PersonRegistered", probeRegistration.replacingOccurrences(of: name, with: name + #"\uD800"#))),
        ("duplicate-key", line(103, "person-" + id, "PersonRegistered", probeRegistration.replacingOccurrences(of: #""source""#, with: #""name":"\#(name)2","source""#))),
        ("duplicate-key", line(104, "person-" + id, "PersonRegistered", probeRegistration).replacingOccurrences(of: #""note":"#, with: #""\#(phone)":"x","\#(phone)":"#)),
        ("missing-field", line(105, "person-" + id, "PersonRegistered", probeRegistration.replacingOccurrences(of: #""source":"publicSecurity""#, with: #""sourceX":"\#(name)""#))),
        ("invalid-field", line(106, "person-" + id, "PersonRegistered", probeRegistration.replacingOccurrences(of: #""source""#, with: #""hukouType":"\#(address)","source""#))),
        ("invalid-field", line(107, "person-" + id, "PersonRegistered", probeRegistration.replacingOccurrences(of: #""source""#, with: #""employmentStatus":"\#(phone)","source""#))),
        ("invalid-field", line(108, "person-" + id, "PersonRegistered", probeRegistration.replacingOccurrences(of: "publicSecurity", with: name))),
        ("invalid-field", line(109, "person-" + id, "PersonRegistered", probeRegistration).replacingOccurrences(of: "2024-03-01", with: "2024-03-01T08:00:00+\(phone)")),
        ("invalid-field", line(110, "person-" + id, "PersonRegistered", probeRegistration).replacingOccurrences(of: #""id":"6F1C1E64-2B7A-4A43-9A51-000000000110""#, with: #""id":"\#(id)""#)),
        ("invalid-citizen-id", line(111, "person-" + badID, "PersonRegistered", registration(badID, name: name, phone: phone, address: address))),
        ("invalid-credit-code", line(112, a, "PersonEnrolled", #"{"insuranceType":"employeeMedical","route":"employer","employer":"91\#(id.prefix(16))"}"#, version: 2)),
        ("invalid-division-code", line(113, "person-" + id, "PersonRegistered", probeRegistration.replacingOccurrences(of: #""source""#, with: #""residenceDivision":"\#(phone)","source""#))),
        ("invalid-insurance-type", line(114, a, "PersonEnrolled", #"{"insuranceType":"\#(phone)","route":"resident"}"#, version: 2)),
        ("invalid-stream", line(115, "person" + id, "PersonRegistered", probeRegistration)),
        ("invalid-stream", line(116, "person-" + name, "PersonRegistered", probeRegistration)),
        ("invalid-stream", line(117, id + "-" + name, "PersonRegistered", probeRegistration)),
        ("invalid-stream", line(118, "person-" + badID, "PersonRegistered", probeRegistration)),
        ("non-canonical-stream", line(119, "person-11010519491231002x", "PersonRegistered", registration("11010519491231002X", name: name, phone: phone, address: address))),
        ("wrong-stream", line(120, "person-120101198503170024", "PersonRegistered", probeRegistration)),
        ("wrong-stream", line(121, employer, "PersonRegistered", probeRegistration)),
        ("exceeds-store-limit", line(122, "person-" + id, "PersonRegistered", probeRegistration).replacingOccurrences(of: "\(name) \(phone)", with: String(repeating: name + phone, count: 20))),
        ("inconsistent-data", line(123, employer, "EmployerScreened", #"{"campaign":"\#(address)","staffCount":1,"unenrolledStaff":2,"note":"\#(name) \#(phone)"}"#)),
        ("unknown-type", line(124, "person-" + id, name + phone, probeRegistration)),
        ("unsupported-version", line(125, "person-" + id, "PersonRegistered", probeRegistration, version: 9)),
        // The registry rules.
        ("already-registered", line(126, a, "PersonRegistered", registration("120101198503170024", name: name, phone: phone, address: address))),
        ("not-registered", line(127, "person-" + id, "PersonEnrolled", #"{"insuranceType":"residentMedical","route":"resident"}"#, version: 2)),
        ("already-enrolled", line(128, a, "PersonEnrolled", #"{"insuranceType":"employeePension","route":"flexibleEmployment"}"#, version: 2)),
        ("not-enrolled", line(129, a, "ContributionInterrupted", #"{"insuranceType":"maternity","reasonCode":"\#(phone)"}"#)),
        ("not-interrupted", line(130, a, "ContributionResumed", #"{"insuranceType":"employeePension","route":"flexibleEmployment"}"#)),
        ("employer-required", line(131, a, "PersonEnrolled", #"{"insuranceType":"employeeMedical","route":"employer"}"#, version: 2)),
        ("person-deceased", line(132, d, "PersonEnrolled", #"{"insuranceType":"residentMedical","route":"resident"}"#, version: 2)),
        ("duplicate-survey-task", line(133, a, "SurveyTaskDispatched", #"{"taskID":"\#(t1)","reason":"dataIncomplete","division":"120101001001","assignee":"\#(name)"}"#)),
        ("unknown-survey-task", line(134, a, "SurveyObservationRecorded", observation(t9, name: name))),
        ("surveyor-required", line(135, a, "SurveyObservationRecorded", observation(t1, surveyors: "[]", name: name))),
        ("survey-task-not-open", line(136, a, "SurveyObservationRecorded", observation(t2, name: name))),
        ("observation-not-recorded", line(137, a, "SurveyReviewed", review(t1, "street", "approve", reason: address))),
        ("street-review-first", line(138, a, "SurveyReviewed", review(t2, "district", "approve", reason: address))),
        ("reason-required", line(139, a, "SurveyReviewed", review(t2, "street", "reject"))),
        ("survey-task-closed", line(140, a, "SurveyReviewed", review(t3, "street", "approve", reason: address))),
        ("unknown-reason-code", line(141, a, "StatusMarked", #"{"mark":"unwilling","reasonCode":"\#(phone)","note":"\#(name)"}"#)),
        ("invalid-correction", line(142, a, "PersonDataCorrected", #"{"corrections":[{"field":"hukouType","value":"\#(address)"}],"basis":"sourceData"}"#)),
        ("invalid-correction", line(143, a, "PersonDataCorrected", #"{"corrections":[],"basis":"sourceData","note":"\#(phone)"}"#)),
        ("not-set", line(146, a, "StatusMarkWithdrawn", #"{"mark":"unwilling","reasonCode":"U01","note":"\#(name) \#(phone)"}"#)),
        ("wrong-stream", line(144, a, "EmployerScreened", #"{"campaign":"\#(address)","staffCount":1,"unenrolledStaff":0}"#)),
        // Employer screening tasks and targets.
        ("duplicate-screening-task", line(147, employer, "EmployerScreeningDispatched", #"{"taskID":"\#(s1)","division":"350100","reasons":["neverInsured"],"persons":1,"assignee":"\#(name)"}"#)),
        ("unknown-screening-task", line(148, employer, "EmployerScreeningRecorded", #"{"taskID":"\#(t9)","outcome":"visited","note":"\#(name) \#(phone)"}"#)),
        ("screening-step-not-allowed", line(149, employer, "EmployerScreeningRecorded", #"{"taskID":"\#(s1)","outcome":"rectified","note":"\#(address)"}"#)),
        ("screening-reason-required", line(150, employer, "EmployerScreeningDispatched", #"{"taskID":"\#(t9)","division":"350100","reasons":[],"persons":1,"assignee":"\#(phone)"}"#)),
        ("invalid-target", line(151, "target-120101", "TargetSet", #"{"area":"120101","insuranceType":"all","kind":"coverageRate","from":"2024-01","to":"2024-12","value":120,"note":"\#(name) \#(phone)"}"#)),
        // The store: an event id already in the log with other content, and the next line of its stream.
        ("duplicate-event-id", line(5, a, "PersonEnrolled", #"{"insuranceType":"employeePension","route":"employer","employer":"91350100M000100Y43"}"#, version: 2)),
        ("earlier-line-rejected", line(145, a, "PersonEnrolled", #"{"insuranceType":"unemployment","route":"resident"}"#, version: 2)),
    ]

    /// Codes no line of an import through the command can get, and why.
    static let unreachable: [String: String] = [
        "wrong-expected-version": "needs a concurrent writer between the rule check and the append",
        "invalid-event": "the store's check beyond the limits named by exceeds-store-limit: nothing today",
        "invalid-stream-id": "the store's own check, made at parse time first (invalid-stream)",
        "malformed-payload": "the binary form: read from a store, not imported",
        "unreadable-stream": "needs a log written by a newer registry (RegistryDomainTests cover it)",
    ]

    /// Bytes of the probe file: line 3 gets a real invalid UTF-8 byte where the replacement character stands.
    static func probeFile() -> Data {
        var bytes: [UInt8] = []
        for (_, text) in probeLines {
            bytes += Array(text.utf8).replacing([0xEF, 0xBF, 0xBD], with: [0xFF])
            bytes.append(0x0A)
        }
        return Data(bytes)
    }

    @Test func noRejectionShowsAPersonalValue() throws {
        let dir = try TemporaryDirectory()
        try dir.write("setup.jsonl", Self.setup.joined(separator: "\n") + "\n")
        let setup = try dir.registry("import", "--store", "store", "setup.jsonl")
        #expect(setup.status == 0, "\(setup)")
        #expect(setup.stdout.hasPrefix("Imported setup.jsonl: \(Self.setup.count) accepted"), "\(setup)")

        try Self.probeFile().write(to: dir.url.appendingPathComponent("probe.jsonl"))
        let before = try Self.files(in: dir.url)
        let result = try dir.registry("import", "--store", "store", "--show-rejected", "0", "probe.jsonl")
        #expect(result.status == 1)
        #expect(result.stdout.contains(": 0 accepted, 0 already present, \(Self.probeLines.count) rejected"), "\(result)")

        // Each line has the code of its path.
        var produced: Set<String> = []
        for (n, probe) in Self.probeLines.enumerated() {
            let prefix = "  line \(n + 1): "
            let reported = result.lines.first { $0.hasPrefix(prefix) }
            #expect(reported?.hasPrefix(prefix + probe.code + ": ") == true, "line \(n + 1): expected \(probe.code), got \(reported ?? "nothing")")
            if let reported { produced.insert(String(reported.dropFirst(prefix.count).prefix { $0 != ":" })) }
        }
        // Every code of the catalogue is exercised, but those no import line can reach.
        for code in RejectionCatalogue.codes where Self.unreachable[code] == nil {
            #expect(produced.contains(code), "no probe line for \(code)")
        }

        // No personal value anywhere: output, error, or any file written or changed by the command.
        let written = try Self.files(in: dir.url).filter { before[$0.key] != $0.value && !$0.key.hasSuffix("probe.jsonl") }
        #expect(!written.isEmpty, "the store was not touched")
        for probe in Self.probes {
            #expect(!result.stdout.contains(probe), "stdout shows \(probe)")
            #expect(!result.stderr.contains(probe), "stderr shows \(probe)")
            for (path, data) in written {
                #expect(data.range(of: Data(probe.utf8)) == nil, "\(path) holds \(probe)")
            }
        }
        // Nor any run of digits that could be an ID or a phone.
        #expect(result.stdout.firstMatch(of: /[0-9]{11,}/) == nil, "\(result.stdout)")
    }

    /// The command's own arguments: a personal value typed where an option or argument is expected.
    @Test func usageErrorsShowNoPersonalValue() throws {
        let dir = try SmallLog.imported()
        let runs: [[String]] = [
            ["history", "--store", "store", Self.name],
            ["history", "--store", "store", Self.badID],
            ["history", "--store", "store", "person" + Self.id],
            ["coverage", "--store", "store", "--as-of", Self.phone],
            ["coverage", "--store", "store", "--as-of", "2024-03-01T08:00:00Z" + Self.address],
            ["coverage", "--store", "store", "--level", Self.name],
            ["coverage", "--store", "store", Self.address],
            ["import", "--store", "store", "--batch-size", Self.phone, "x.jsonl"],
            ["export", "--store", "store", "--stream", "person" + Self.id],
            ["export", "--store", "store", "--stream", Self.name],
            [Self.name, Self.id],
            ["--" + Self.phone],
        ]
        for arguments in runs {
            let result = try dir.registry(arguments: arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.hasPrefix("registry: error: "), "\(arguments): \(result)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result)")
            for probe in Self.probes {
                #expect(!result.stdout.contains(probe) && !result.stderr.contains(probe), "\(arguments) shows \(probe): \(result)")
            }
        }
        let help = try dir.registry("import", "--help")
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE:"))
    }

    /// Free text of accepted facts (notes, reasons, actors) is shown by `history` with any number that could be
    /// an ID or a phone masked, unless revealed.
    @Test func historyMasksNumbersInFreeText() throws {
        let dir = try TemporaryDirectory()
        let lines = [
            Self.setup[0],
            Self.line(200, Self.a, "StatusMarked", #"{"mark":"unwilling","reasonCode":"U01","note":"call \#(Self.phone) or \#(Self.id)"}"#),
        ]
        try dir.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        let imported = try dir.registry("import", "--store", "store", "--no-rules", "in.jsonl")
        #expect(imported.status == 0, "\(imported)")
        let history = try dir.registry("history", "--store", "store", "120101198503170024")
        #expect(history.status == 0, "\(history)")
        #expect(history.stdout.contains("StatusMarked"))
        for probe in [Self.phone, Self.id] {
            #expect(!history.stdout.contains(probe), "history shows \(probe): \(history.stdout)")
        }
    }

    /// Every file under a directory, by path, with its contents.
    static func files(in url: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let items = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey])
        while let item = items?.nextObject() as? URL {
            guard (try item.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            out[item.path] = try Data(contentsOf: item)
        }
        return out
    }
}
