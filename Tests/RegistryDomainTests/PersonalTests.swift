import Testing
import Foundation
import EventLog
import MemoryStore
@testable import RegistryDomain

@Suite struct PersonalTests {
    @Test func maskedForms() {
        #expect(PersonName("张三").masked == "张**")
        #expect(PersonName("欧阳娜娜").masked == "欧**")
        #expect(PersonName("").masked == "")
        #expect(PhoneNumber("13812345678").masked == "138****5678")
        #expect(PhoneNumber("022-2345678").masked == "022****5678")
        #expect(PhoneNumber("5678").masked == "****")
        #expect(Address("天津市和平区南京路123号").masked == "天津市和平区…")
        #expect(Address("和平区南京路").masked == "和平…")
        #expect(Address("和平区").masked == "…")
        #expect(CertificateNumber("120101198503170024").masked == "1201**********0024")
        #expect(Fixtures.personID.masked == "1201**********0024")
    }

    /// The policy for every kind: no value shows whole, whatever its length, and the masked form's length is
    /// bounded and does not follow the value's.
    @Test func noKindShowsAWholeValueOrItsLength() {
        let kinds: [(String, (String) -> String, Int)] = [
            ("name", NameKind.mask, 3), ("phone", PhoneKind.mask, 11), ("address", AddressKind.mask, 7),
            ("certificate", CertificateKind.mask, 18), ("text", TextKind.mask, 4), ("id", { Masking.mask($0) }, 18),
        ]
        for (kind, mask, bound) in kinds {
            for alphabet in ["张三丰李四王五赵六钱七孙八周九吴十郑", "1380013800013800138001380013800"] {
                var lengths: Set<Int> = []
                for n in 1...30 {
                    let value = String(alphabet.prefix(n).padding(toLength: n, withPad: "9", startingAt: 0))
                    let masked = mask(value)
                    #expect(masked != value && !masked.contains(value), "\(kind) shows \(n) characters whole")
                    #expect(masked.count <= bound, "\(kind) masked to \(masked.count) characters")
                    lengths.insert(masked.count)
                }
                #expect(lengths.count <= 3, "\(kind): masked lengths follow the value's: \(lengths.sorted())")
            }
        }
        // A vocabulary field holding something else is masked as text.
        #expect(FieldCorrection(field: .hukouType, value: PersonalText("天津市和平区南京路123号")).description == "hukouType=天***")
        #expect(FieldCorrection(field: .hukouType, value: PersonalText("unified")).description == "hukouType=unified")
        #expect(FieldCorrection(field: .residenceDivision, value: PersonalText("13812345678")).description == "residenceDivision=1***")
    }

    @Test func everyDisplayPathIsMasked() {
        let name = PersonName("张三")
        #expect("\(name)" == "张**")
        #expect(String(describing: name) == "张**")
        #expect(!String(reflecting: name).contains("张三"))
        var dumped = ""
        dump(Fixtures.registered, to: &dumped)
        #expect(!dumped.contains("张三"))
        #expect(!dumped.contains("13812345678"))
        #expect(!dumped.contains("南京路"))
        #expect(!"\(Fixtures.registered)".contains("张三"))
        let correction = FieldCorrection(field: .phone, value: PersonalText("13900001111"))
        #expect(correction.description == "phone=139****1111")
    }

    @Test func revealRecordsWhoViewedWhomAndWhy() async throws {
        let store = InMemoryEventStore()
        let access = PersonalDataAccess(store: store)
        let at = Timestamp(iso8601: "2024-02-29T17:00:00Z")!  // 2024-03-01 01:00 in Beijing
        let phone = try await access.reveal(Fixtures.registered.phone!, of: Fixtures.personID, by: "operator:ops-7", reason: "call back", at: at)
        #expect(phone == "13812345678")
        let audit = try await store.readStream(try StreamID("audit-2024-03-01"))
        #expect(audit.count == 1)
        guard case .personalDataRevealed(let fact) = try RegistryEvent.decode(audit[0]) else { Issue.record("not an audit fact"); return }
        #expect(fact.subject == Fixtures.personID)
        #expect(fact.fields == ["phone"])
        #expect(fact.viewer == "operator:ops-7")
        #expect(fact.reason == "call back")
        #expect(audit[0].effectiveTime == at)
        #expect(audit[0].metadata.actor == "operator:ops-7")

        let person = try await access.reveal(Fixtures.registered, by: "operator:ops-7", reason: "complaint", at: at)
        #expect(person.name == "张三")
        #expect(person.citizenID == "120101198503170024")
        #expect(!person.description.contains("张三"))
        #expect(try await store.readStream(try StreamID("audit-2024-03-01")).count == 2)
    }

    @Test func revealWithoutAReasonRevealsNothing() async throws {
        let store = InMemoryEventStore()
        let access = PersonalDataAccess(store: store)
        await #expect(throws: RuleViolation.self) {
            _ = try await access.reveal(PersonName("张三"), of: Fixtures.personID, by: "ops", reason: "")
        }
        #expect(try await store.headPosition() == 0)
    }
}
