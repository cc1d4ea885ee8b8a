// swift-tools-version:6.1
import Foundation
import PackageDescription

let library = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
    .standardizedFileURL.resolvingSymlinksInPath().lastPathComponent

let package = Package(
    name: "RegistryMicroBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "RegistryMicro",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "EventLog", package: library),
                .product(name: "MemoryStore", package: library),
                .product(name: "RegistryDomain", package: library),
                .product(name: "RegistryProjections", package: library),
                .product(name: "RegistrySimulation", package: library),
            ],
            path: "Benchmarks/RegistryMicro",
            // Language mode 5, as the Benchmark library itself: its configuration and closures are not `Sendable`.
            swiftSettings: [.swiftLanguageMode(.v5)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
