/// An identifier whose JSON form is its canonical text, checked when decoded: citizen IDs, credit codes, division
/// codes. One Codable implementation for all of them.
public protocol TextIdentifier: Codable {
    /// The canonical text.
    var value: String { get }
    /// Parses and checks the text.
    /// - Throws: ``IdentifierError`` naming the rule broken.
    init(parsing text: String) throws(IdentifierError)
}

extension TextIdentifier {
    /// Encodes the canonical text (the JSON form is for import and export).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }

    /// Decodes and checks the text; an invalid one is a `DecodingError` carrying the rule, not the value.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        do {
            self = try Self(parsing: try c.decode(String.self))
        } catch let error as IdentifierError {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: c.codingPath, debugDescription: error.description, underlyingError: error))
        }
    }
}
