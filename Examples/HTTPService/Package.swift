// swift-tools-version:6.1
// An HTTP service embedding the registry (Hummingbird 2): surveyors post observations, reviewers post decisions,
// staff read live views; every response masks personal data. The library is a path dependency here; an outside
// package names the repository instead (`.package(url: "https://…/CoverageRegistry.git", from: "0.1.0")` and
// `package: "CoverageRegistry"`).
import Foundation
import PackageDescription

// A path dependency's package identity is the name of its folder, which is whatever the clone is called.
let library = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
    .standardizedFileURL.resolvingSymlinksInPath().lastPathComponent

let package = Package(
    name: "HTTPServiceExample",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "RegistryService",
            dependencies: [
                .product(name: "EventLog", package: library),
                .product(name: "FileStore", package: library),
                .product(name: "RegistryDomain", package: library),
                .product(name: "RegistryProjections", package: library),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(
            name: "HTTPServiceExample",
            dependencies: [
                "RegistryService",
                .product(name: "FileStore", package: library),
                .product(name: "RegistryDomain", package: library),
                .product(name: "RegistryProjections", package: library),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "RegistryServiceTests",
            dependencies: [
                "RegistryService",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
