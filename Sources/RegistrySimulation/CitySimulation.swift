import EventLog
import Foundation
import RegistryDomain

/// A deterministic synthetic city (being written): see `CitySimulation.Parameters`.
public struct CitySimulation: Sendable {
    /// The size and shape of the city.
    public struct Parameters: Sendable, Hashable {
        /// Number of persons; about five events each.
        public var persons: Int
        /// The seed: the same seed and size give the same log, byte for byte (apart from recorded times).
        public var seed: UInt64
        public init(persons: Int, seed: UInt64 = 2016) {
            self.persons = persons
            self.seed = seed
        }
    }

    public let parameters: Parameters
    public init(_ parameters: Parameters) { self.parameters = parameters }
}
