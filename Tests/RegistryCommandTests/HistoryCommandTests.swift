import Foundation
import Testing

@Suite("registry history")
struct HistoryCommandTests {
    @Test func maskedByDefault() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("history", "--store", "store", SmallLog.b, "--format", "csv")
        #expect(result.status == 0)
        let lines = result.lines
        #expect(lines.count == 4)
        #expect(lines[0] == "position,effective,recorded,type,source,details")
        #expect(lines[1].hasPrefix("2,2024-02-01 00:00:00,"))
        #expect(lines[1].contains(",PersonRegistered,source:police,name=李** hukouType=unknown hukouAddress=天津市和平区… residenceDivision=120101001002"))
        #expect(lines[2].hasPrefix("5,2024-02-02 00:00:00,"))
        #expect(lines[2].hasSuffix(",SourceObservationRecorded,source:police,department=publicSecurity finding=resident reference=police-2024-02"))
        #expect(lines[3].hasSuffix(",SurveyTaskDispatched,operator:ops-1,task=7D444840 division=120101001002 reason=unenrolledAfterComparison assignee=team-12"))
        #expect(!result.stdout.contains("李四"))
        #expect(!result.stdout.contains(SmallLog.b))
        #expect(!result.stdout.contains("2000-05-05"), "the birth date is part of the masked number")
        let table = try dir.registry("history", "--store", "store", SmallLog.b)
        #expect(table.lines.first == "History of 1201**********0134: 3 facts, times in China Standard Time")
    }

    @Test func revealNeedsWhoAndWhy() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("history", "--store", "store", SmallLog.b, "--reveal", "--by", "operator:ops-7")
        #expect(result.status == 64)
        #expect(result.stderr.contains("--reveal needs --by WHO and --reason WHY"))
        #expect(!result.stdout.contains("李四"))
        #expect(try dir.registry("export", "--store", "store", "--category", "audit").stdout.isEmpty, "nothing recorded, nothing shown")
    }

    @Test func revealShowsPersonalDataAndRecordsWhoAndWhy() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry(
            "history", "--store", "store", SmallLog.b, "--reveal", "--by", "operator:ops-7", "--reason", "call back about the survey")
        #expect(result.status == 0)
        #expect(result.lines.first == "History of \(SmallLog.b): 3 facts, times in China Standard Time (personal data revealed)")
        #expect(result.stdout.contains("name=李四 sex=male born=2000-05-05"))
        #expect(result.stdout.contains("hukouAddress=天津市和平区某路1号"))
        #expect(result.stderr.hasPrefix("Revealed to operator:ops-7 for \"call back about the survey\": 1 audit fact recorded in audit-"))
        // The reveal is a fact of the log: exported, and listed by --audit.
        let audit = try dir.registry("export", "--store", "store", "--category", "audit")
        #expect(audit.lines.count == 1)
        #expect(audit.stdout.contains("\"type\":\"PersonalDataRevealed\""))
        #expect(audit.stdout.contains("\"viewer\":\"operator:ops-7\""))
        let listed = try dir.registry("history", "--store", "store", SmallLog.b, "--audit")
        #expect(listed.stdout.contains("Reveals of 1201**********0134: 1 recorded view"))
        #expect(listed.stdout.contains("operator:ops-7  name,phone,hukouAddress,residenceAddress  call back about the survey"))
        #expect(try dir.registry("verify", "--store", "store").stdout.hasPrefix("intact up to 10 "))
    }

    @Test func invalidAndUnknownNumbers() throws {
        let dir = try SmallLog.imported()
        let invalid = try dir.registry("history", "--store", "store", "120101200005050135")
        #expect(invalid.status == 1)
        #expect(invalid.stderr.hasPrefix("registry: error: 1201**********0135 is not a valid citizen ID number: invalid-check-character"))
        #expect(!invalid.stderr.contains("120101200005050135"))
        let unknown = try dir.registry("history", "--store", "store", SmallLog.absent)
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "registry: error: no facts about 1201**********0359 in the store (store); check the number and --store\n")
    }
}
