import RegistryDomain

/// Area arithmetic on padded 12-digit division codes (GB/T 2260 + street + community digits).
public enum Area {
    /// The division at `level` containing `padded` (0, unknown, stays 0).
    @inlinable
    public static func truncate(_ padded: UInt64, to level: DivisionCode.Level) -> UInt64 {
        let divisor: UInt64
        switch level {
        case .province: divisor = 10_000_000_000
        case .city: divisor = 100_000_000
        case .county: divisor = 1_000_000
        case .street: divisor = 1_000
        case .community: divisor = 1
        }
        return padded / divisor * divisor
    }

    /// The code's text at its level, or `unknown`.
    public static func name(_ padded: UInt64, level: DivisionCode.Level) -> String {
        guard padded != 0, let code = DivisionCode(padded: padded) else { return "unknown" }
        return code.truncated(to: min(level, code.level)).value
    }
}

/// The view enumerations encode as their words (`"to dispatch"`, `"deceased"`), as the tables print them.
enum DescribedCoding {
    static func decode<T: CaseIterable & CustomStringConvertible>(_: T.Type, from decoder: any Decoder) throws -> T {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let value = T.allCases.first(where: { $0.description == text }) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown value")
        }
        return value
    }

    static func encode(_ value: some CustomStringConvertible, to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value.description)
    }
}

extension RegistryFold.TaskState: Codable {
    public init(from decoder: any Decoder) throws { self = try DescribedCoding.decode(Self.self, from: decoder) }
    public func encode(to encoder: any Encoder) throws { try DescribedCoding.encode(self, to: encoder) }
}

extension RegistryFold.ClearReason: Codable {
    public init(from decoder: any Decoder) throws { self = try DescribedCoding.decode(Self.self, from: decoder) }
    public func encode(to encoder: any Encoder) throws { try DescribedCoding.encode(self, to: encoder) }
}
