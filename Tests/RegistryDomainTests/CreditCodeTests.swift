import Testing
@testable import RegistryDomain

@Suite struct CreditCodeTests {
    @Test(arguments: ["91350100M000100Y43", "91120101MA05KT5X1J", "121200004013593211"])
    func acceptsValidCodes(_ text: String) throws {
        let code = try CreditCode(text)
        #expect(code.value == text)
        #expect(code.description == text)
        #expect(code.streamID.rawValue == "employer-" + text)
    }

    @Test func computesTheCheckCharacterPerGB32100() {
        #expect(CreditCode.checkCharacter(forLeading: "91350100M000100Y4") == "3")
        #expect(CreditCode.checkCharacter(forLeading: "91120101MA05KT5X1") == "J")
        #expect(CreditCode.checkCharacter(forLeading: "91350100M000100I4") == nil)  // I is not in the set
    }

    @Test func lowercaseIsAccepted() throws {
        #expect(try CreditCode("91120101ma05kt5x1j").value == "91120101MA05KT5X1J")
    }

    @Test(arguments: ["91350100M000100Y44", "91350100M000100Y4A", "91120101MA05KT5X1K"])
    func rejectsWrongCheckCharacters(_ text: String) {
        do { _ = try CreditCode(text); Issue.record("accepted") } catch { #expect(error.code == .invalidCheckCharacter) }
    }

    @Test(arguments: ["91350100M000100Y4", "91350100M000100Y433", "91350100O000100Y43", "91350100M000100S43", "9135010-M000100Y43"])
    func rejectsMalformedCodes(_ text: String) {
        #expect(throws: IdentifierError.self) { try CreditCode(text) }
    }

    @Test func derivesTheDivision() throws {
        #expect(try CreditCode("91350100M000100Y43").division == DivisionCode(validating: "350100"))
    }

    @Test func packedFormRoundTrips() throws {
        let code = try CreditCode("91120101MA05KT5X1J")
        #expect(CreditCode(high: code.high, low: code.low) == code)
        #expect(CreditCode(high: UInt64.max, low: 0) == nil)
        for field: UInt64 in 0..<9 {
            #expect(CreditCode(high: 31 << (5 * field), low: 0) == nil)
            #expect(CreditCode(high: 0, low: 31 << (5 * field)) == nil)
            #expect(CreditCode(high: 30 << (5 * field), low: 15 << (5 * field)) != nil)
        }
    }
}
