// swift-tools-version:6.1
// Embedding the registry's event log in another Swift program, as an outside package does. Here the library is a
// path dependency (`../..`); an outside package names the repository instead:
//     .package(url: "https://…/CoverageRegistry.git", from: "0.1.0")
//     .product(name: "FileStore", package: "CoverageRegistry")
import Foundation
import PackageDescription

// A path dependency's package identity is the name of its folder, which is whatever the clone is called.
let library = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
    .standardizedFileURL.resolvingSymlinksInPath().lastPathComponent

let package = Package(
    name: "EmbeddingExample",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "EmbeddingExample",
            dependencies: [
                .product(name: "EventLog", package: library),
                .product(name: "FileStore", package: library),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
