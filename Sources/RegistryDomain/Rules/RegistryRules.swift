/// The configuration the rules are checked against.
public struct RegistryRules: Sendable, Hashable {
    /// The reason codes allowed for each status mark.
    public var reasonCodes: ReasonCodeList

    /// Creates a configuration.
    public init(reasonCodes: ReasonCodeList = .default) {
        self.reasonCodes = reasonCodes
    }

    /// The default configuration.
    public static let `default` = RegistryRules()
}
