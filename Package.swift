// swift-tools-version:6.1
import PackageDescription

// Layers point one way: EventLog ← stores ← RegistryDomain ← RegistryProjections ← tools.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "CoverageRegistry",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "EventLog", targets: ["EventLog"]),
        .library(name: "MemoryStore", targets: ["MemoryStore"]),
        .library(name: "FileStore", targets: ["FileStore"]),
        .library(name: "PostgresStore", targets: ["PostgresStore"]),
        .library(name: "RegistryDomain", targets: ["RegistryDomain"]),
        .library(name: "RegistryProjections", targets: ["RegistryProjections"]),
        .library(name: "RegistrySimulation", targets: ["RegistrySimulation"]),
        .library(name: "RegistryComparison", targets: ["RegistryComparison"]),
        .executable(name: "registry", targets: ["registry"]),
        .executable(name: "registry-bench", targets: ["registry-bench"]),
        .executable(name: "embedding-example", targets: ["EmbeddingExample"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
    ],
    targets: [
        // MARK: The generic event log (knows nothing of social insurance)
        .target(name: "CCRC32C", cSettings: [.unsafeFlags(["-O3"])]),
        .target(
            name: "EventLog",
            dependencies: ["CCRC32C", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // MARK: Storage backends
        .target(name: "MemoryStore", dependencies: ["EventLog"], swiftSettings: strict),
        .target(name: "FileStore", dependencies: ["EventLog"], swiftSettings: strict),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(name: "PostgresStore", dependencies: ["EventLog", "CLibPQ"], swiftSettings: strict),
        // The conformance suite every backend runs (a library so each backend's tests can call it).
        .target(name: "EventStoreConformance", dependencies: ["EventLog"], swiftSettings: strict),
        // MARK: The registry domain and its views
        .target(name: "RegistryDomain", dependencies: ["EventLog"], swiftSettings: strict),
        .target(name: "RegistryProjections", dependencies: ["RegistryDomain", "EventLog"], swiftSettings: strict),
        // A deterministic synthetic city: the demo's and the benchmark's log.
        .target(name: "RegistrySimulation", dependencies: ["RegistryDomain", "EventLog"], swiftSettings: strict),
        // Comparison runs: department feeds (CSV) in, source observations out; survey dispatch.
        .target(
            name: "RegistryComparison",
            dependencies: [
                "RegistryDomain", "RegistryProjections", "EventLog",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // MARK: Tools
        .executableTarget(
            name: "registry",
            dependencies: [
                "EventLog", "FileStore", "PostgresStore", "MemoryStore", "RegistryDomain", "RegistryProjections", "RegistrySimulation", "RegistryComparison",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "registry-bench",
            dependencies: [
                "EventLog", "FileStore", "PostgresStore", "RegistryDomain", "RegistryProjections", "RegistrySimulation", "RegistryComparison",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/registry-bench",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "EmbeddingExample",
            dependencies: ["EventLog", "FileStore"],
            path: "Examples/Embedding",
            swiftSettings: strict
        ),
        // MARK: Tests
        .testTarget(name: "EventLogTests", dependencies: ["EventLog"], swiftSettings: strict),
        .testTarget(name: "MemoryStoreTests", dependencies: ["MemoryStore", "EventStoreConformance"], swiftSettings: strict),
        .testTarget(name: "FileStoreTests", dependencies: ["FileStore", "EventStoreConformance"], swiftSettings: strict),
        .testTarget(
            name: "PostgresStoreTests", dependencies: ["PostgresStore", "EventStoreConformance", "FileStore", "RegistryDomain"],
            swiftSettings: strict),
        .testTarget(name: "RegistryDomainTests", dependencies: ["RegistryDomain", "MemoryStore"], swiftSettings: strict),
        .testTarget(name: "RegistryProjectionsTests", dependencies: ["RegistryProjections", "MemoryStore", "registry"], swiftSettings: strict),
        .testTarget(name: "RegistrySimulationTests", dependencies: ["RegistrySimulation", "RegistryProjections", "MemoryStore"], swiftSettings: strict),
        .testTarget(name: "RegistryComparisonTests", dependencies: ["RegistryComparison", "RegistryProjections", "MemoryStore", "FileStore"], swiftSettings: strict),
        .testTarget(name: "RegistryCommandTests", dependencies: ["registry", "EventLog", "FileStore"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
