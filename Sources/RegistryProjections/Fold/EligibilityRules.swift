import RegistryDomain

/// A set of insurance types, as a bit mask (bit *n − 1* for raw value *n*).
public struct InsuranceTypeSet: Hashable, Sendable, SetAlgebra, CustomStringConvertible {
    public var rawValue: UInt8
    public init() { rawValue = 0 }
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init<S: Sequence>(_ types: S) where S.Element == InsuranceType {
        rawValue = 0
        for t in types { rawValue |= 1 << (t.rawValue - 1) }
    }
    public func contains(_ t: InsuranceType) -> Bool { rawValue & (1 << (t.rawValue - 1)) != 0 }
    public var types: [InsuranceType] { InsuranceType.allCases.filter(contains) }
    public var description: String { types.map(\.name).joined(separator: "|") }

    public func union(_ other: Self) -> Self { Self(rawValue: rawValue | other.rawValue) }
    public func intersection(_ other: Self) -> Self { Self(rawValue: rawValue & other.rawValue) }
    public func symmetricDifference(_ other: Self) -> Self { Self(rawValue: rawValue ^ other.rawValue) }
    @discardableResult public mutating func insert(_ t: InsuranceType) -> (inserted: Bool, memberAfterInsert: InsuranceType) {
        let was = contains(t)
        rawValue |= 1 << (t.rawValue - 1)
        return (!was, t)
    }
    @discardableResult public mutating func remove(_ t: InsuranceType) -> InsuranceType? {
        guard contains(t) else { return nil }
        rawValue &= ~(1 << (t.rawValue - 1))
        return t
    }
    @discardableResult public mutating func update(with t: InsuranceType) -> InsuranceType? {
        let was = contains(t)
        rawValue |= 1 << (t.rawValue - 1)
        return was ? t : nil
    }
    public mutating func formUnion(_ other: Self) { rawValue |= other.rawValue }
    public mutating func formIntersection(_ other: Self) { rawValue &= other.rawValue }
    public mutating func formSymmetricDifference(_ other: Self) { rawValue ^= other.rawValue }
}

/// Who should hold which insurance.
///
/// Two parts, both configurable:
/// - **requirements** decide who *should be insured and is not* (the all-types figures, the worklist, the ledger):
///   each is met by an active enrolment (enrolled or interrupted) in any of its types;
/// - **per-type eligibility** (``byType``) decides who *should hold each type* (the per-type figures and rates).
///
/// The defaults (``standard``) follow the seeds and the Social Insurance Law (社会保险法): everyone some basic medical
/// insurance (003 二(一), 000 二); people of working age (16 to 59) who are not students some basic pension (000 二);
/// people a source shows as employed the employee pension, employee medical and work-injury insurance (004 一, 001
/// 六(四): "参保企业抓漏保"). Per type: employee pension, employee medical, work injury, unemployment and maternity
/// are for employees (law art. 10, 23, 33, 44, 53: paid through the employer); resident pension for people aged 16-59
/// who are neither students nor employees (law art. 20-21); resident medical for everyone who is not an employee (law
/// art. 25). Exempt people (deceased, imprisoned, insured elsewhere, in military service) need none.
public struct EligibilityRules: Hashable, Sendable {
    /// To whom a requirement applies.
    public enum Condition: Hashable, Sendable {
        /// Every known person.
        case everyone
        /// People whose age is in the range and who are not students.
        case workingAgeNotStudent(ClosedRange<Int>)
        /// People a source (or their registration) shows as employed.
        case employed
    }

    /// One requirement.
    public struct Requirement: Hashable, Sendable {
        /// A short name: `medical`, `pension`, `employee-pension`.
        public var name: String
        /// Any of these types meets it.
        public var acceptable: InsuranceTypeSet
        /// Who must meet it.
        public var condition: Condition

        public init(name: String, acceptable: InsuranceTypeSet, condition: Condition) {
            self.name = name
            self.acceptable = acceptable
            self.condition = condition
        }
    }

    /// Who should hold one insurance type.
    public struct TypeEligibility: Hashable, Sendable {
        /// The type.
        public var type: InsuranceType
        /// To whom it applies.
        public var condition: Condition
        /// Whether employees are left out (resident schemes: an employee holds the employee scheme instead).
        public var exceptEmployed: Bool

        public init(_ type: InsuranceType, _ condition: Condition, exceptEmployed: Bool = false) {
            self.type = type
            self.condition = condition
            self.exceptEmployed = exceptEmployed
        }
    }

    /// The requirements, at most eight.
    public var requirements: [Requirement]
    /// Who should hold each type; a type not listed is held by no one in particular (its figures show no
    /// should-be count).
    public var byType: [TypeEligibility]

    /// Creates a rule set.
    /// - Precondition: at most eight requirements.
    public init(requirements: [Requirement], byType: [TypeEligibility] = EligibilityRules.standardByType) {
        precondition(requirements.count <= 8, "at most eight requirements")
        self.requirements = requirements
        self.byType = byType
    }

    /// The default per-type eligibility.
    public static let standardByType: [TypeEligibility] = [
        TypeEligibility(.employeePension, .employed),
        TypeEligibility(.employeeMedical, .employed),
        TypeEligibility(.workInjury, .employed),
        TypeEligibility(.unemployment, .employed),
        TypeEligibility(.maternity, .employed),
        TypeEligibility(.residentPension, .workingAgeNotStudent(16...59), exceptEmployed: true),
        TypeEligibility(.residentMedical, .everyone, exceptEmployed: true),
    ]

    /// The default rules.
    public static let standard = EligibilityRules(requirements: [
        Requirement(name: "medical", acceptable: [.employeeMedical, .residentMedical], condition: .everyone),
        Requirement(name: "pension", acceptable: [.employeePension, .residentPension], condition: .workingAgeNotStudent(16...59)),
        Requirement(name: "employee-pension", acceptable: [.employeePension], condition: .employed),
        Requirement(name: "employee-medical", acceptable: [.employeeMedical], condition: .employed),
        Requirement(name: "work-injury", acceptable: [.workInjury], condition: .employed),
    ])
}

extension InsuranceTypeSet: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: InsuranceType...) { self.init(elements) }
}
