import ArgumentParser
import RegistryProjections

/// Where a person counts in area totals: `--basis residence|hukou`.
enum BasisArgument: String, ExpressibleByArgument, CaseIterable, Sendable {
    case residence, hukou

    /// The projections' area basis.
    var areaBasis: AreaBasis {
        switch self {
        case .residence: .residence
        case .hukou: .hukou
        }
    }
}
