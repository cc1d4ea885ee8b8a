/// One statement of a pipeline (``PGConnection/pipeline(_:context:)``): SQL, parameters, and whether it is
/// prepared once per connection under a name.
public struct PGStatement: Sendable {
    /// The SQL text, naming parameters `$1`, `$2`, ….
    public var sql: String
    /// The parameter values, sent in binary.
    public var parameters: PGParameters
    /// The prepared statement's name, or nil to run it unnamed.
    public var preparedName: String?
    /// Whether result columns come back in binary.
    public var binaryResult: Bool

    /// Creates a statement.
    public init(_ sql: String, _ parameters: PGParameters = PGParameters(), prepared name: String? = nil, binaryResult: Bool = true) {
        self.sql = sql
        self.parameters = parameters
        self.preparedName = name
        self.binaryResult = binaryResult
    }
}
