// swift-tools-version:6.1
import PackageDescription

// Layers point one way: EventLog ← stores ← RegistryDomain ← RegistryProjections ← tools.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let metrics: Target.Dependency = .product(name: "CoreMetrics", package: "swift-metrics")
let lifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let testKits: [Target.Dependency] = [
    .product(name: "InMemoryLogging", package: "swift-log"),
    .product(name: "MetricsTestKit", package: "swift-metrics"),
    .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // `swift package generate-documentation` (scripts/docs; CI fails on a broken symbol link).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
    ],
    targets: [
        // MARK: The generic event log (knows nothing of social insurance)
        // No unsafe flags (an outside package could not depend on this one): the hardware CRC function carries its own
        // target attribute and is chosen at run time (Sources/CCRC32C/crc32c.c).
        .target(name: "CCRC32C"),
        // The chain hash's SHA-256, one call per record with the SHA extensions where the CPU has them (swift-crypto's
        // per-call overhead was as large as the hashing itself on replay): Sources/CSHA256/sha256.c.
        .target(name: "CSHA256"),
        .target(
            name: "EventLog",
            dependencies: ["CCRC32C", "CSHA256", .product(name: "Crypto", package: "swift-crypto"), logging, metrics],
            swiftSettings: strict
        ),
        // MARK: Storage backends
        .target(name: "MemoryStore", dependencies: ["EventLog", logging, metrics, lifecycle], swiftSettings: strict),
        .target(name: "FileStore", dependencies: ["EventLog", logging, metrics, lifecycle], swiftSettings: strict),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(name: "PostgresStore", dependencies: ["EventLog", "CLibPQ", logging, metrics, lifecycle], swiftSettings: strict),
        // The conformance suite every backend runs (a library so each backend's tests can call it).
        .target(name: "EventStoreConformance", dependencies: ["EventLog"], swiftSettings: strict),
        // MARK: The registry domain and its views
        .target(name: "RegistryDomain", dependencies: ["EventLog"], swiftSettings: strict),
        // A cache prefetch hint for the replay's look-ahead (Swift has no prefetch of its own).
        .target(name: "CPrefetch"),
        .target(
            name: "RegistryProjections", dependencies: ["RegistryDomain", "EventLog", "CPrefetch", logging, metrics, lifecycle],
            swiftSettings: strict
        ),
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
                .product(name: "ArgumentParser", package: "swift-argument-parser"), logging,
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
        // MARK: Tests
        // The seeded randomness and byte mutations the fuzz, crash and corruption harnesses share.
        .target(name: "FuzzSupport", dependencies: ["EventLog"], path: "Tests/FuzzSupport", swiftSettings: strict),
        .testTarget(
            name: "EventLogTests", dependencies: ["FuzzSupport", "EventLog", "CSHA256", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .testTarget(name: "MemoryStoreTests", dependencies: ["FuzzSupport", "MemoryStore", "EventStoreConformance"] + testKits, swiftSettings: strict),
        .testTarget(name: "FileStoreTests", dependencies: ["FuzzSupport", "FileStore", "EventStoreConformance"] + testKits, swiftSettings: strict),
        .testTarget(
            name: "PostgresStoreTests", dependencies: ["PostgresStore", "EventStoreConformance", "FileStore", "RegistryDomain"] + testKits,
            swiftSettings: strict),
        .testTarget(name: "RegistryDomainTests", dependencies: ["FuzzSupport", "RegistryDomain", "MemoryStore"], swiftSettings: strict),
        .testTarget(
            name: "RegistryProjectionsTests",
            dependencies: ["FuzzSupport", "RegistryProjections", "RegistrySimulation", "MemoryStore", "FileStore", "registry"] + testKits,
            swiftSettings: strict
        ),
        .testTarget(name: "RegistrySimulationTests", dependencies: ["RegistrySimulation", "RegistryProjections", "MemoryStore"], swiftSettings: strict),
        .testTarget(name: "RegistryComparisonTests", dependencies: ["FuzzSupport", "RegistryComparison", "RegistrySimulation", "RegistryProjections", "MemoryStore", "FileStore"], swiftSettings: strict),
        .testTarget(name: "RegistryCommandTests", dependencies: ["FuzzSupport", "registry", "EventLog", "FileStore"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
