import EventLog

/// The rules of a target stream (`target-<division>`): any number of `TargetSet` facts, each well formed.
public enum TargetRules {
    /// Decides whether `event` may be appended to a target stream.
    /// - Throws: ``RuleViolation`` with ``RuleViolation/Rule/invalidTarget`` (period backwards, value negative or not
    ///   finite, a rate above 100) or ``RuleViolation/Rule/wrongStream``.
    public static func check(_ event: RegistryEvent, stream: StreamID? = nil) throws(RuleViolation) {
        guard case .targetSet(let t) = event else {
            throw RuleViolation(.wrongStream, "\(event.type.rawValue): not a target event", stream: stream)
        }
        guard t.from <= t.to else { throw RuleViolation(.invalidTarget, "TargetSet: the period ends (\(t.to)) before it starts (\(t.from))", stream: stream) }
        guard t.value.isFinite, t.value >= 0 else { throw RuleViolation(.invalidTarget, "TargetSet: the value must be a number at least 0", stream: stream) }
        if t.kind.isRate, t.value > 100 { throw RuleViolation(.invalidTarget, "TargetSet: a rate is a percentage, at most 100", stream: stream) }
    }
}
