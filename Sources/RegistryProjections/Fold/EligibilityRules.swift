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

/// Who should hold which insurance: a list of requirements, each met by an active enrolment (enrolled or
/// interrupted) in any of its types.
///
/// The defaults (``standard``) follow the notices in the seeds: everyone some basic medical insurance; people of
/// working age (16 to 59) who are not students some basic pension; people a source shows as employed the employee
/// pension, employee medical and work-injury insurance. Exempt people (deceased, imprisoned, insured in another
/// province, in military service) need none.
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

    /// The requirements, at most eight.
    public var requirements: [Requirement]

    /// Creates a rule set.
    /// - Precondition: at most eight requirements.
    public init(requirements: [Requirement]) {
        precondition(requirements.count <= 8, "at most eight requirements")
        self.requirements = requirements
    }

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
