/// What a target measures (seeds 000 二, 001 三, 003 一, 004 annexes 3 and 5).
public enum TargetKind: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible, CodedEnum {
    /// Persons paying at the end of the period (实际缴费人数, 004 annex 3); a count.
    case contributors
    /// New enrolments (person × type) effective in the period (新增参保人数, 004 annex 5); a count.
    case newEnrolments
    /// Coverage rate (参保率) at the period end, in percent.
    case coverageRate
    /// Registration rate (登记率) at the period end, in percent.
    case registrationRate
    /// Interrupted over active enrolments at the period end, in percent: a ceiling, lower is better.
    case interruptionRateCeiling

    /// Whether the value is a percentage (else a count of persons or enrolments).
    public var isRate: Bool { self != .contributors && self != .newEnrolments }

    /// Whether the target is a ceiling (met while the actual stays at or under it).
    public var isCeiling: Bool { self == .interruptionRateCeiling }

    public var description: String { rawValue }

    public static let codedCases: [Self] = allCases
}
