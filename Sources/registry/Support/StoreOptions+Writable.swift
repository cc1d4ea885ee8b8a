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
        var st = stat()
        if stat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw CommandFailure(
                    "the store path is a file, not a store directory", at: path,
                    fix: "give --store a store directory, or a path where one can be created", status: .cannotCreate)
            }
            if access(path, W_OK) != 0 {
                let reason = String(cString: strerror(errno))
                throw CommandFailure(
                    "the store directory cannot be written (\(reason))", at: path,
                    fix: "run as a user who may write it, or use a writable copy; views and verify run on a read-only store",
                    status: errno == EROFS ? .ioError : .noPermission)
            }
            return
        }
        // Not there yet: the nearest existing ancestor must be a directory this user may write.
        var ancestor = (path as NSString).deletingLastPathComponent
        if ancestor.isEmpty { ancestor = "." }
        while stat(ancestor, &st) != 0, ancestor != "/", ancestor != "." {
            ancestor = (ancestor as NSString).deletingLastPathComponent
            if ancestor.isEmpty { ancestor = "." }
        }
        guard stat(ancestor, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw CommandFailure(
                "the store cannot be created under \(ancestor): it is a file, not a directory", at: path,
                fix: "give --store a path inside a directory", status: .cannotCreate)
        }
        if access(ancestor, W_OK) != 0 {
            let reason = String(cString: strerror(errno))
            throw CommandFailure(
                "the store cannot be created: \(ancestor) cannot be written (\(reason))", at: path,
                fix: "give --store a path in a directory you may write", status: errno == EROFS ? .cannotCreate : .noPermission)
        }
    }
}
