/// The numeric codes a province uses for the insurance types: configurable, since they differ between provinces.
///
/// The default is the common table: 110 employee pension, 170 resident pension, 310 employee medical,
/// 390 resident medical, 410 work injury, 210 unemployment, 510 maternity.
public struct InsuranceCodeTable: Sendable, Hashable {
    /// The code of each type.
    public let codes: [InsuranceType: String]
    private let types: [String: InsuranceType]

    /// The common table.
    public static let `default` = try! InsuranceCodeTable(codes: [
        .employeePension: "110", .residentPension: "170", .employeeMedical: "310", .residentMedical: "390",
        .workInjury: "410", .unemployment: "210", .maternity: "510",
    ])

    /// Creates a table.
    /// - Parameter codes: a code for every insurance type; codes must be distinct and non-empty.
    /// - Throws: ``IdentifierError`` with ``IdentifierError/Code/invalidTable`` when a type is missing or a code
    ///   is empty or used twice.
    public init(codes: [InsuranceType: String]) throws(IdentifierError) {
        for t in InsuranceType.allCases where (codes[t] ?? "").isEmpty {
            throw IdentifierError(.invalidTable, .insuranceType, "no code for \(t.name)")
        }
        var types: [String: InsuranceType] = [:]
        for (t, c) in codes {
            guard types.updateValue(t, forKey: c) == nil else {
                throw IdentifierError(.invalidTable, .insuranceType, "code \(c) is used twice")
            }
        }
        self.codes = codes
        self.types = types
    }

    /// The code of a type.
    public func code(for type: InsuranceType) -> String { codes[type]! }

    /// The type with a code, or nil when the table has no such code.
    public func type(forCode code: String) -> InsuranceType? { types[code] }

    /// The type with a code.
    /// - Throws: ``IdentifierError`` with ``IdentifierError/Code/unknownCode``.
    public func requireType(forCode code: String) throws(IdentifierError) -> InsuranceType {
        guard let t = types[code] else { throw IdentifierError(.unknownCode, .insuranceType, "the code is not in the table") }
        return t
    }
}
