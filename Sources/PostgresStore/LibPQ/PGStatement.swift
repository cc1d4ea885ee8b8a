/// One statement of a pipeline (`PGConnection/pipeline(_:context:)`): SQL, parameters, and whether it is
/// prepared once per connection under a name.
package struct PGStatement: Sendable {
    /// The SQL text, naming parameters `$1`, `$2`, ….
    package var sql: String
    /// The parameter values, sent in binary.
    package var parameters: PGParameters
    /// The prepared statement's name, or nil to run it unnamed.
    package var preparedName: String?
    /// Whether result columns come back in binary.
    package var binaryResult: Bool

    /// Creates a statement.
    package init(_ sql: String, _ parameters: PGParameters = PGParameters(), prepared name: String? = nil, binaryResult: Bool = true) {
        self.sql = sql
        self.parameters = parameters
        self.preparedName = name
        self.binaryResult = binaryResult
    }
}
