// swift-tools-version:6.1
// Micro-benchmarks of the library (ordo-one/benchmark): allocations and time per event in decode, fold and import.
// A package of its own, depending on the library by path as the examples do, so that the root package, its tests and
// CI never resolve or compile the benchmark tool. Run with `scripts/microbench` (Benchmarks/RESULTS.md).
import Foundation
import PackageDescription

let library = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
    .standardizedFileURL.resolvingSymlinksInPath().lastPathComponent

let package = Package(
    name: "RegistryMicroBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../.."),
        // Only the malloc interposer: the package's other default trait, RuntimeInterposer (ARC counts on Linux with
        // Swift 6.3), needs ordo-one/swift-runtime-interposer, which is not among the packages this machine has; with
        // the trait off SwiftPM leaves that dependency out (the tool then notes "skipping LD_PRELOAD … (not built)").
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
