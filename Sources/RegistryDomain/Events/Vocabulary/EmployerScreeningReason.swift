/// Why an employer is put on the screening worklist (seed 004 一(一): the three screening priorities).
public enum EmployerScreeningReason: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible, CodedEnum {
    /// At least N staff known from sources are not enrolled through it (N = 50 in seed 004, annex 1).
    case unenrolledStaff
    /// Registered (market regulation) but never registered as an insured unit and nobody enrolled through it
    /// (001 六(四): 未参保企业抓参保).
    case neverInsured
    /// Suspected of labour dispatch and not insuring its staff (seed 004, annex 2).
    case suspectedLabourDispatch

    public var description: String { rawValue }

    public static let codedCases: [Self] = allCases
}
