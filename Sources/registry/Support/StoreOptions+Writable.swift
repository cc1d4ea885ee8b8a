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
            target = (path as NSString).deletingLastPathComponent
            if target.isEmpty { target = "." }
            while stat(target, &st) != 0, target != "/", target != "." {
                target = (target as NSString).deletingLastPathComponent
                if target.isEmpty { target = "." }
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
}
