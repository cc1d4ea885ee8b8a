import Testing
import EventLog
@testable import RegistryDomain

@Suite struct CitizenIDTests {
    let today = CalendarDate(year: 2024, month: 6, day: 1)!

    @Test func acceptsValidNumbersAndDerivesBirthDateAndSex() throws {
        let id = try CitizenID("120101198503170024", today: today)
        #expect(id.value == "120101198503170024")
        #expect(id.birthDate == CalendarDate(year: 1985, month: 3, day: 17))
        #expect(id.sex == .female)
        #expect(id.areaCode == 120101)
        #expect(id.area == DivisionCode(validating: "120101"))
        #expect(id.checkCharacter == "4")
        let male = try CitizenID("120101198503170016", today: today)
        #expect(male.sex == .male)
    }

    @Test func checkCharacterXAndLowercaseNormalised() throws {
        let upper = try CitizenID("11010519491231002X", today: today)
        let lower = try CitizenID("11010519491231002x", today: today)
        #expect(upper == lower)
        #expect(lower.value == "11010519491231002X")
        #expect(CitizenID.checkCharacter(forLeading: "11010519491231002") == "X")
    }

    @Test(arguments: ["120101198503170025", "120101198503170020", "11010519491231002Y", "110105194912310021", "12010119850317002X"])
    func rejectsWrongCheckCharacters(_ text: String) {
        #expect {
            try CitizenID(text, today: today)
        } throws: { error in
            let e = error as! IdentifierError
            return (e.code == .invalidCheckCharacter || e.code == .invalidCharacter) && !e.description.contains(text)
        }
    }

    @Test func rejectsImpossibleDates() {
        // 2001-02-29 does not exist (2001 is not a leap year); the check character is right for the digits.
        let leading = "12010420010229001"
        let text = leading + String(CitizenID.checkCharacter(forLeading: leading)!)
        #expect(throws: IdentifierError.self) { try CitizenID(text, today: today) }
        do { _ = try CitizenID(text, today: today) } catch { #expect(error.code == .invalidDate) }
        // 2000-02-29 does exist.
        let leap = "12010420000229001"
        #expect(throws: Never.self) { try CitizenID(leap + String(CitizenID.checkCharacter(forLeading: leap)!), today: today) }
        for bad in ["12010419851301001", "12010419850432001", "12010418000101001"] {
            let t = bad + String(CitizenID.checkCharacter(forLeading: bad)!)
            do { _ = try CitizenID(t, today: today); Issue.record("accepted an impossible date") } catch {
                #expect(error.code == .invalidDate)
            }
        }
    }

    @Test func rejectsFutureBirthDates() {
        let leading = "12010420240602001"  // the day after `today`
        let text = leading + String(CitizenID.checkCharacter(forLeading: leading)!)
        do { _ = try CitizenID(text, today: today); Issue.record("accepted a future date") } catch {
            #expect(error.code == .futureDate)
        }
        let born = "12010420240601001"  // born today
        #expect(throws: Never.self) { try CitizenID(born + String(CitizenID.checkCharacter(forLeading: born)!), today: today) }
        // With the real clock, a birth in 2990 is in the future.
        let far = "12010429900101001"
        #expect(throws: IdentifierError.self) { try CitizenID(far + String(CitizenID.checkCharacter(forLeading: far)!)) }
    }

    @Test func upgradesFifteenDigitNumbers() throws {
        let id = try CitizenID("120101850317002", today: today)
        #expect(id.value == "120101198503170024")
        #expect(id.birthDate.year == 1985)
        let legacyBadDate = "120101850229002"  // 1985-02-29
        #expect(throws: IdentifierError.self) { try CitizenID(legacyBadDate, today: today) }
    }

    @Test(arguments: ["", "12010119850317002", "1201011985031700244", "12010119850317A024", "000101198503170024", "１20101198503170024"])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: IdentifierError.self) { try CitizenID(text, today: today) }
    }

    @Test func areaCodesMissingFromTodaysListAreAccepted() throws {
        // 129999 is no county today; only the province part is checked.
        let leading = "12999919850317002"
        #expect(throws: Never.self) { try CitizenID(leading + String(CitizenID.checkCharacter(forLeading: leading)!), today: today) }
    }

    @Test func leadingDigitsKey() throws {
        let id = try CitizenID("11010519491231002X", today: today)
        #expect(id.leadingDigits == 11010519491231002)
        #expect(CitizenID(leadingDigits: id.leadingDigits) == id)
        #expect(CitizenID(leadingDigits: 12010420010229001) == nil)  // 2001-02-29
        #expect(CitizenID(leadingDigits: 100_000_000_000_000_000) == nil)
    }

    @Test func masksByDefault() throws {
        let id = try CitizenID("120101198503170024", today: today)
        #expect(id.masked == "1201**********0024")
        #expect("\(id)" == "1201**********0024")
        #expect(id.streamID.rawValue == "person-120101198503170024")
        #expect(id.streamID.description == "person-1201**********0024")
    }

    @Test func errorsNeverCarryTheNumber() {
        let text = "120101198503170025"
        do { _ = try CitizenID(text, today: today) } catch {
            #expect(!error.description.contains("1985"))
            #expect(!error.message.contains(text))
        }
    }
}
