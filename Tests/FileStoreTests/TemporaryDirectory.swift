import Foundation

/// A fresh directory under the system's temporary folder, removed by `remove()`.
struct TemporaryDirectory: Sendable {
    let path: String

    init(_ label: String = "store") {
        path = NSTemporaryDirectory() + "coverage-registry-tests/\(label)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    func size(_ name: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: file(name)))?[.size] as? Int) ?? -1
    }
}
