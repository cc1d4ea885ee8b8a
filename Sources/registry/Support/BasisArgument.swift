import ArgumentParser
import RegistryDomain

/// Where a person counts in area totals: `--basis residence|hukou|agency`.
enum BasisArgument: String, ExpressibleByArgument, CaseIterable, Sendable {
    case residence, hukou, agency

    /// The projections' area basis.
    var areaBasis: AreaBasis {
        switch self {
        case .residence: .residence
        case .hukou: .hukou
        case .agency: .insuringAgency
        }
    }
}
