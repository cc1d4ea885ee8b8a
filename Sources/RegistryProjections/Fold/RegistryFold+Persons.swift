import EventLog
import RegistryDomain

// Persons: where each counts (on the settings' basis) and what follows from their standing.

extension RegistryFold {
    /// Why someone needs no insurance here (the domain's ``RegistryDomain/Exemption``).
    public typealias Exemption = RegistryDomain.Exemption

    /// The person's area on the chosen basis, padded 12 digits (0: unknown).
    @inline(__always)
    func area(of i: Int) -> UInt64 { area(persons[i].standing) }

    @inline(__always)
    func area(_ s: PersonStanding) -> UInt64 { s.area(settings.areaBasis) }

    /// The 6-digit county part of a padded division, as a padded division (0 when unknown).
    @inline(__always)
    func county(_ padded: UInt64) -> UInt64 { padded / 1_000_000 * 1_000_000 }

    @inline(__always)
    func status(_ i: Int, _ t: InsuranceType) -> Coverage.Status { persons[i].standing.status(t) }

    /// Why the person needs no insurance, if they need none.
    func exemption(_ i: Int) -> Exemption? { persons[i].standing.exemption }

    /// Whether a source or a survey places the person in the area: the worklist's first condition.
    func livesInArea(_ i: Int) -> Bool { persons[i].standing.livesInArea }
}
