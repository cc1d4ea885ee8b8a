import RegistryDomain

/// ``EligibilityRules`` compiled to bit masks, so that deciding what applies to a person is a few `and`s and `or`s
/// per event: requirements (bit *k* for requirement *k*) and per-type eligibility (bit *t − 1* for type *t*).
struct EligibilityMasks: Hashable, Sendable {
    /// Requirements by condition.
    let everyone: UInt8
    let employed: UInt8
    let ageRules: [Rule]
    /// Which requirements each set of active types meets (128 entries, one per set of the seven types).
    let metByActiveTypes: [UInt8]
    /// The types each requirement accepts.
    let requirementTypes: [UInt8]
    /// Every type some requirement accepts.
    let typesInRequirements: UInt8
    /// Per-type eligibility by condition.
    let typesEveryone: UInt8
    let typesEmployed: UInt8
    let typesByAge: [Rule]
    let typesExceptEmployed: UInt8
    /// The ages at which what applies changes (the first day of each range and the day after its end).
    let boundaryAges: [Int]

    /// A working-age condition and the bits it sets.
    struct Rule: Hashable, Sendable {
        var range: ClosedRange<Int>
        var mask: UInt8
    }

    init(_ rules: EligibilityRules) {
        var everyone: UInt8 = 0, employed: UInt8 = 0
        var ages: [Rule] = []
        var reqTypes: [UInt8] = []
        for (k, r) in rules.requirements.enumerated() {
            reqTypes.append(r.acceptable.rawValue)
            switch r.condition {
            case .everyone: everyone |= 1 << k
            case .employed: employed |= 1 << k
            case .workingAgeNotStudent(let range): ages.append(Rule(range: range, mask: 1 << k))
            }
        }
        self.everyone = everyone
        self.employed = employed
        self.ageRules = ages
        self.requirementTypes = reqTypes
        self.typesInRequirements = reqTypes.reduce(0, |)
        self.metByActiveTypes = (0..<128).map { active in
            var met: UInt8 = 0
            for (k, types) in reqTypes.enumerated() where UInt8(active) & types != 0 { met |= 1 << k }
            return met
        }
        var tEveryone: UInt8 = 0, tEmployed: UInt8 = 0, tExcept: UInt8 = 0
        var tAges: [Rule] = []
        for e in rules.byType {
            let bit = UInt8(1) << (e.type.rawValue - 1)
            if e.exceptEmployed { tExcept |= bit }
            switch e.condition {
            case .everyone: tEveryone |= bit
            case .employed: tEmployed |= bit
            case .workingAgeNotStudent(let range): tAges.append(Rule(range: range, mask: bit))
            }
        }
        typesEveryone = tEveryone
        typesEmployed = tEmployed
        typesByAge = tAges
        typesExceptEmployed = tExcept
        boundaryAges = Array(Set((ages + tAges).flatMap { [$0.range.lowerBound, $0.range.upperBound + 1] })).sorted()
    }

    /// The requirements that apply to a person on a day `yyyymmdd`, met or not.
    @inline(__always)
    func applicable(_ s: PersonStanding, key: UInt64, on day: Int) -> UInt8 {
        var applicable = everyone
        if s.isEmployed { applicable |= employed }
        if !ageRules.isEmpty, !s.isStudent {
            let age = PersonKey.age(key, on: day)
            for rule in ageRules where rule.range.contains(age) { applicable |= rule.mask }
        }
        return applicable
    }

    /// The requirements the person's active enrolments meet.
    @inline(__always)
    func met(_ s: PersonStanding) -> UInt8 { metByActiveTypes[Int(s.activeTypes & 0x7F)] }

    /// The requirements the person should meet and does not, on a day (nothing for an exempt person).
    @inline(__always)
    func unmet(_ s: PersonStanding, key: UInt64, on day: Int) -> UInt8 {
        s.exemption != nil ? 0 : applicable(s, key: key, on: day) & ~met(s)
    }

    /// The types (bit *t − 1*) the person should hold on a day, whatever they hold.
    func eligibleTypes(_ s: PersonStanding, key: UInt64, on day: Int) -> UInt8 {
        var types = typesEveryone
        let employedNow = s.isEmployed
        if employedNow { types |= typesEmployed }
        if !typesByAge.isEmpty, !s.isStudent {
            let age = PersonKey.age(key, on: day)
            for rule in typesByAge where rule.range.contains(age) { types |= rule.mask }
        }
        if employedNow { types &= ~typesExceptEmployed }
        return types
    }

    /// The types the person should hold and is missing: eligible, not active, and either serving a requirement that
    /// is still unmet or serving none (a requirement met by another of its types, e.g. flexible employment's
    /// employee pension for a resident's pension, makes up for the type).
    func missingTypes(_ s: PersonStanding, key: UInt64, on day: Int) -> UInt8 {
        guard s.exemption == nil else { return 0 }
        let eligible = eligibleTypes(s, key: key, on: day) & ~s.activeTypes
        let unmetRequirements = applicable(s, key: key, on: day) & ~met(s)
        var stillNeeded = ~typesInRequirements & 0x7F
        for (k, types) in requirementTypes.enumerated() where unmetRequirements & (1 << k) != 0 { stillNeeded |= types }
        return eligible & stillNeeded
    }

    /// The first day (`yyyymmdd`) after `day` and up to `until` on which the person's age crosses a boundary, if any.
    func nextBirthdayBoundary(key: UInt64, after day: Int, until: Int) -> Int? {
        let birth = PersonKey.birthDate(key)
        for age in boundaryAges {
            let b = birth + age * 10_000  // age ≥ `age` exactly from this yyyymmdd on (PersonKey.age)
            if b > day, b <= until { return b }
        }
        return nil
    }
}
