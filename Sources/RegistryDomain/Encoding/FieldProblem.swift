/// What a decoder of the JSON form found wrong with one field: carried as the underlying error of a
/// `DecodingError` so that ``JSONEventLine/parse(_:using:)`` can report it with its code and path.
///
/// The message is fixed text: it never quotes the value.
struct FieldProblem: Error, Sendable {
    /// The rejection code.
    var code: EventFormatError.Code
    /// What is wrong, without the value.
    var message: String

    /// A `DecodingError` for the field at `codingPath`.
    static func at(_ codingPath: [any CodingKey], _ code: EventFormatError.Code, _ message: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(
            codingPath: codingPath, debugDescription: message, underlyingError: FieldProblem(code: code, message: message)))
    }
}
