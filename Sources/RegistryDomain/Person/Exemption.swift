/// Why a person needs no insurance here (002 art. 14): no survey, no ledger case, not counted as un-enrolled.
public enum Exemption: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A civil-affairs death finding or a `deceased` mark, not undone by a vital-status correction.
    case deceased = 1
    /// A prison's inmate finding or an `imprisoned` mark, until released.
    case imprisoned
    /// Insured in another province (a finding or a mark), or every enrolment the person held here transferred out.
    case insuredElsewhere
    /// In military service (a mark), until back.
    case militaryService

    /// The words the views print.
    public var description: String {
        switch self {
        case .deceased: "deceased"
        case .imprisoned: "imprisoned"
        case .insuredElsewhere: "insured elsewhere"
        case .militaryService: "military service"
        }
    }
}
