import Foundation

/// The demo's store directory: created fresh, or wiped only when it is a previous demo store.
///
/// A demo store is marked by a ``markerName`` file written before anything else; a directory is wiped only when
/// it holds that marker and nothing but store files (`NNNNNNNN.seg`, `NNNNNNNN.idx`, `LOCK`, `*.tmp`), the demo's `feeds/`
/// and the views' snapshot folder `views/`.
struct DemoStoreDirectory: Sendable {
    /// The marker file's name.
    static let markerName = "REGISTRY-DEMO"

    /// The directory.
    let path: String

    /// Makes the directory an empty, marked demo store directory.
    /// - Throws: ``CommandFailure`` when it exists and is not empty and not a demo store, or cannot be written.
    func prepare() throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CommandFailure("the demo store path is a file, not a directory", at: path, fix: "give --store a new directory", status: .cannotCreate)
            }
            let entries = try fm.contentsOfDirectory(atPath: path)
            if !entries.isEmpty {
                guard entries.contains(Self.markerName), entries.allSatisfy(Self.isDemoFile) else {
                    throw CommandFailure(
                        "the directory is not empty and is not a previous demo store; nothing was changed", at: path,
                        fix: "give --store a new directory (the demo wipes only its own stores)", status: .cannotCreate)
                }
                for name in entries where name != Self.markerName {
                    try fm.removeItem(atPath: path + "/" + name)
                }
            }
        } else {
            do {
                try fm.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw CommandFailure("cannot create the demo store directory", at: path, fix: "check the path and its permissions", status: .cannotCreate)
            }
        }
        let marker = "A synthetic city built by `registry demo`; `registry demo` may wipe this directory.\n"
        guard fm.createFile(atPath: path + "/" + Self.markerName, contents: Data(marker.utf8)) else {
            throw CommandFailure("cannot write in the demo store directory", at: path, fix: "check its permissions", status: .cannotCreate)
        }
    }

    /// The folder in a demo store that holds the city's department feeds.
    static let feedsFolder = "feeds"

    /// Whether a directory entry is one a demo store holds.
    static func isDemoFile(_ name: String) -> Bool {
        if name == markerName || name == "LOCK" || name.hasSuffix(".tmp") || name == feedsFolder || name == "views" { return true }
        let parts = name.split(separator: ".")
        return parts.count == 2 && parts[0].count == 8 && parts[0].allSatisfy(\.isNumber) && (parts[1] == "seg" || parts[1] == "idx")
    }
}
