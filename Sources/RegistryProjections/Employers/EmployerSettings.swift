import RegistryDomain

/// What the employer views count and which employers the screening worklist takes.
public struct EmployerSettings: Hashable, Sendable {
    /// The types an employer owes its staff (law art. 10, 23, 33, 44, 53): selective enrolment is holding some of
    /// them through the employer but not all.
    public var employeeTypes: [InsuranceType]
    /// An employer goes on the worklist with at least this many un-enrolled staff (seed 004 一(一): 50).
    public var minimumUnenrolled: Int
    /// The labour-dispatch rule.
    public var labourDispatch: LabourDispatchRule

    /// Creates settings.
    public init(
        employeeTypes: [InsuranceType] = [.employeePension, .employeeMedical, .workInjury, .unemployment, .maternity],
        minimumUnenrolled: Int = 50, labourDispatch: LabourDispatchRule = .standard
    ) {
        self.employeeTypes = employeeTypes
        self.minimumUnenrolled = minimumUnenrolled
        self.labourDispatch = labourDispatch
    }

    /// The defaults of seed 004.
    public static let standard = EmployerSettings()
}

/// When an employer is a suspected labour-dispatch firm that does not insure its staff (seed 004 annex 2:
/// 疑似从事劳务派遣、但未参保缴费单位).
///
/// Suspected: registered as a labour-dispatch firm, or flagged by an earlier screening (`EmployerScreened`), or its
/// registered name contains one of ``nameKeywords``. It goes on the worklist when, in addition, it has at least
/// ``minimumUnenrolled`` un-enrolled staff or was never insured.
public struct LabourDispatchRule: Hashable, Sendable {
    /// Words in a registered name that suggest labour dispatch.
    public var nameKeywords: [String]
    /// Un-enrolled staff from which a suspected firm is screened.
    public var minimumUnenrolled: Int

    /// Creates the rule.
    public init(nameKeywords: [String] = ["劳务派遣", "劳务服务", "人力资源"], minimumUnenrolled: Int = 1) {
        self.nameKeywords = nameKeywords
        self.minimumUnenrolled = minimumUnenrolled
    }

    /// 劳务派遣 / 劳务服务 / 人力资源 in the name, or flagged; from one un-enrolled staff member.
    public static let standard = LabourDispatchRule()
}
