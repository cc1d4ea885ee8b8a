import Foundation

extension StoreOptions {
    /// Checks, before a writing command opens a file store, that its directory can be written or created: a path
    /// that is a regular file (or lies under one) cannot become a store (EX_CANTCREAT), and a directory this user may
    /// not write (mode 0500, another owner, a read-only mount) would refuse the first new segment or index file
    /// halfway through an import (EX_NOPERM). Refused here, in one line, before anything is appended.
    ///
    /// *Why here and not at the first failed write:* a directory that is not writable still lets the writer append to
    /// the segment files it owns, so an import would fail only at its first roll-over, after part of it was appended.
    static func checkWritableDirectory(_ path: String) throws {
        // The store itself when it is there; else the nearest existing ancestor, where it would be created.
        var st = stat()
        var target = path
        let exists = stat(path, &st) == 0
        if !exists {
            target = parentDirectory(of: path)
            while stat(target, &st) != 0, target != "/", target != "." {
                target = parentDirectory(of: target)
            }
        }
        guard stat(target, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw CommandFailure(
                exists ? "the store path is a file, not a store directory" : "the store cannot be created under \(target): it is a file, not a directory",
                at: path, fix: exists ? "give --store a store directory, or a path where one can be created" : "give --store a path inside a directory",
                status: .cannotCreate)
        }
        if access(target, W_OK) != 0 {
            let reason = String(cString: strerror(errno)), readOnlyMount = errno == EROFS
            throw CommandFailure(
                exists ? "the store directory cannot be written (\(reason))" : "the store cannot be created: \(target) cannot be written (\(reason))",
                at: path,
                fix: exists ? "run as a user who may write it, or use a writable copy; views and verify run on a read-only store"
                    : "give --store a path in a directory you may write",
                status: readOnlyMount ? (exists ? .ioError : .cannotCreate) : .noPermission)
        }
    }

    /// The directory `path` lies in: `.` for a bare name, `/` for a name at the root. Not
    /// `NSString.deletingLastPathComponent`, which traps on a one-character name (`--store s`) in
    /// swift-corelibs-foundation.
    static func parentDirectory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        let parent = trimmed[..<slash]
        return parent.isEmpty ? "/" : String(parent)
    }
}
