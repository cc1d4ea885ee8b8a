import Testing
@testable import RegistryDomain

@Suite struct DivisionCodeTests {
    @Test func readsLevelsFromTheForm() throws {
        #expect(try DivisionCode("120000").level == .province)
        #expect(try DivisionCode("120100").level == .city)
        #expect(try DivisionCode("120101").level == .county)
        #expect(try DivisionCode("120101001").level == .street)
        #expect(try DivisionCode("120101001001").level == .community)
        // A 12-digit statistical code ending in zeros names its street or county.
        #expect(try DivisionCode("120101001000") == DivisionCode("120101001"))
        #expect(try DivisionCode("120101000000") == DivisionCode("120101"))
    }

    @Test func derivesTheHierarchy() throws {
        let c = try DivisionCode("120101001001")
        #expect(c.community == c)
        #expect(c.street == (try DivisionCode("120101001")))
        #expect(c.county == (try DivisionCode("120101")))
        #expect(c.city == (try DivisionCode("120100")))
        #expect(c.province == (try DivisionCode("120000")))
        #expect(c.ancestry.map(\.value) == ["120000", "120100", "120101", "120101001", "120101001001"])
        #expect(c.province.parent == nil)
        #expect(try DivisionCode("120101").street == nil)
        #expect(try DivisionCode("120000").city == nil)
        #expect(try DivisionCode("120101").contains(c))
        #expect(try !DivisionCode("120102").contains(c))
        #expect(try !c.contains(DivisionCode("120101")))
        // A street directly under a city without counties (Dongguan) skips the county level.
        #expect(try DivisionCode("441900003").parent == DivisionCode("441900"))
        #expect(try DivisionCode("441900003").county == DivisionCode("441900"))
    }

    @Test func canonicalText() throws {
        #expect(try DivisionCode("120101001").value == "120101001")
        #expect(try DivisionCode("120101001001").description == "120101001001")
        #expect(try DivisionCode("120000").value == "120000")
    }

    @Test(arguments: ["", "12010", "1201011", "1201010010", "12010100100A", "000000", "001234", "120101000", "120101000001"])
    func rejectsInvalidCodes(_ text: String) {
        #expect(throws: IdentifierError.self) { try DivisionCode(text) }
    }

    @Test func paddedFormRoundTrips() throws {
        let c = try DivisionCode("120101001")
        #expect(DivisionCode(padded: c.padded) == c)
        #expect(DivisionCode(padded: 1_000_000_000_000) == nil)
    }
}
