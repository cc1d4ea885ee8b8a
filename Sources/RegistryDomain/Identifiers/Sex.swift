/// A person's sex as GB 11643 encodes it: odd sequence numbers are male, even ones female.
public enum Sex: UInt8, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Female (even sequence number).
    case female = 2
    /// Male (odd sequence number).
    case male = 1
    /// Not known or not stated (for certificates other than the citizen ID).
    case unknown = 0

    /// `male`, `female` or `unknown`.
    public var description: String {
        switch self {
        case .female: "female"
        case .male: "male"
        case .unknown: "unknown"
        }
    }

    /// Encodes as `"male"`, `"female"` or `"unknown"`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Decodes `"male"`, `"female"` or `"unknown"`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let value = Sex.allCases.first(where: { $0.description == text }) else {
            throw FieldProblem.at(c.codingPath, .invalidField, "must be male, female or unknown")
        }
        self = value
    }
}
