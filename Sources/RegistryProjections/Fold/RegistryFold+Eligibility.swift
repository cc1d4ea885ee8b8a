import EventLog
import RegistryDomain

// Eligibility: which requirements apply to a person on a day and which their active enrolments meet, from the
// rules compiled to bit masks when the fold is created.

extension RegistryFold {
    /// The requirements (bit *k* for requirement *k*) the person should meet and does not, on a day `yyyymmdd`.
    @inline(__always)
    func unmetRequirements(_ i: Int, on day: Int) -> UInt8 {
        applicableRequirements(i, on: day) & ~metRequirements(i)
    }

    /// The requirements an active enrolment meets. A transfer out counts: the person is insured in another region.
    func metRequirements(_ i: Int) -> UInt8 { met(persons[i]) }

    @inline(__always)
    func met(_ r: PersonRecord) -> UInt8 { metByActiveTypes[Int(r.coveredTypes)] }

    /// The requirements that apply to the person on a day `yyyymmdd`, met or not.
    func applicableRequirements(_ i: Int, on day: Int) -> UInt8 { applicable(persons[i], on: day) }

    @inline(__always)
    func applicable(_ r: PersonRecord, on day: Int) -> UInt8 {
        let f = Flags(rawValue: r.flags)
        var applicable = everyoneMask
        if f.contains(.employedFinding) || f.contains(.employedStatus) { applicable |= employedMask }
        if !ageRules.isEmpty, !(f.contains(.studentFinding) || f.contains(.studyingMark) || f.contains(.studentStatus)) {
            let age = PersonKey.age(r.key, on: day)
            for rule in ageRules where rule.range.contains(age) { applicable |= rule.mask }
        }
        return applicable
    }

    /// The names of the requirements in a mask.
    public func requirementNames(_ mask: UInt8) -> [String] {
        settings.eligibility.requirements.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element.name)
    }
}
