// swift-tools-version:6.1
// An audit of one disputed person's record: replay the store up to a past moment, show the record as the registry
// knew it then, what changed since, and who recorded each change. The library is a path dependency here; an
// outside package names the repository instead (`from: "0.1.0"`, `package: "CoverageRegistry"`).
import Foundation
import PackageDescription

// A path dependency's package identity is the name of its folder, which is whatever the clone is called.
let library = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
    .standardizedFileURL.resolvingSymlinksInPath().lastPathComponent

let package = Package(
    name: "AuditExample",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "AuditExample",
            dependencies: [
                .product(name: "EventLog", package: library),
                .product(name: "FileStore", package: library),
                .product(name: "RegistryDomain", package: library),
                .product(name: "RegistryProjections", package: library),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
