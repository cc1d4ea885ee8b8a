/// What a screening visit to an employer found or achieved (seed 004 一(一), 二(二)).
public enum EmployerScreeningOutcome: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible, CodedEnum {
    /// The unit was visited (现场排查): operations and staff seen.
    case visited
    /// The un-enrolled staff were confirmed (核准人数) and the employer told to enrol them by a deadline.
    case confirmed
    /// The employer enrolled them (限期办理参保登记 done): the task is closed.
    case rectified
    /// The employer refused and was referred to labour inspection (提交劳动保障监察部门).
    case referredToInspection

    public var description: String { rawValue }

    public static let codedCases: [Self] = allCases
}
