import ArgumentParser
import RegistryDomain

/// The area level views group by: `--level province|city|county|street|community`.
enum LevelArgument: String, ExpressibleByArgument, CaseIterable, Sendable {
    case province, city, county, street, community

    /// The division level.
    var level: DivisionCode.Level {
        switch self {
        case .province: .province
        case .city: .city
        case .county: .county
        case .street: .street
        case .community: .community
        }
    }
}
