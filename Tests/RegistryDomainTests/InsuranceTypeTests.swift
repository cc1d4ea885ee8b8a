import Testing
@testable import RegistryDomain

@Suite struct InsuranceTypeTests {
    @Test func defaultCodeTable() {
        let t = InsuranceCodeTable.default
        #expect(t.code(for: .employeePension) == "110")
        #expect(t.code(for: .residentPension) == "170")
        #expect(t.code(for: .employeeMedical) == "310")
        #expect(t.code(for: .residentMedical) == "390")
        #expect(t.code(for: .workInjury) == "410")
        #expect(t.code(for: .unemployment) == "210")
        #expect(t.code(for: .maternity) == "510")
        #expect(t.type(forCode: "390") == .residentMedical)
        #expect(t.type(forCode: "999") == nil)
        #expect(throws: IdentifierError.self) { try t.requireType(forCode: "999") }
    }

    @Test func configurableTable() throws {
        var codes = InsuranceCodeTable.default.codes
        codes[.maternity] = "520"
        let t = try InsuranceCodeTable(codes: codes)
        #expect(t.type(forCode: "520") == .maternity)
        #expect(t.type(forCode: "510") == nil)
        codes[.maternity] = "110"
        #expect(throws: IdentifierError.self) { try InsuranceCodeTable(codes: codes) }
        codes.removeValue(forKey: .maternity)
        #expect(throws: IdentifierError.self) { try InsuranceCodeTable(codes: codes) }
    }

    @Test func namesAndSchemes() {
        #expect(InsuranceType.allCases.count == 7)
        for t in InsuranceType.allCases { #expect(InsuranceType(name: t.name) == t) }
        #expect(InsuranceType.residentMedical.isResidentScheme)
        #expect(!InsuranceType.workInjury.isResidentScheme)
    }
}
