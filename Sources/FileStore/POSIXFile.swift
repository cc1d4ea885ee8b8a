import EventLog
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file descriptor with the few calls the file store makes, each turning `errno` into an `EventLogError`
/// that names the file (paths hold no personal data: they are the store's own file names).
final class POSIXFile: StorageFile, @unchecked Sendable {
    // Sendable: the descriptor is immutable after init; pread/pwrite on it are safe from many threads, and only
    // the store's writer queue calls the mutating calls (write, truncate, sync, close).
    let fd: Int32
    let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// Opens a file; a created one is readable and writable by its owner only (0600): the store holds personal data.
    static func open(_ path: String, flags: Int32, create: Bool = false) throws -> POSIXFile {
        let fd = create ? Glibc.open(path, flags | O_CREAT | O_CLOEXEC, 0o600) : Glibc.open(path, flags | O_CLOEXEC)
        guard fd >= 0 else { throw POSIXFile.error("open", path) }
        return POSIXFile(fd: fd, path: path)
    }

    static func error(_ call: String, _ path: String, errno code: Int32 = errno) -> EventLogError {
        EventLogError(.ioFailure, "\(call) failed: \(String(cString: strerror(code))) (errno \(code))", location: path)
    }

    var size: Int {
        get throws {
            var st = stat()
            guard fstat(fd, &st) == 0 else { throw Self.error("fstat", path) }
            return Int(st.st_size)
        }
    }

    /// Reads exactly `count` bytes at `offset` into `buffer`, or fewer at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.error("pread", path)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.error("pwrite", path)
            }
            done += n
        }
    }

    /// Makes written data durable.
    func sync() throws {
        guard fdatasync(fd) == 0 else { throw Self.error("fdatasync", path) }
    }

    /// Makes written data and the file's metadata durable.
    func fullSync() throws {
        guard fsync(fd) == 0 else { throw Self.error("fsync", path) }
    }

    func truncate(to length: Int) throws {
        guard ftruncate(fd, off_t(length)) == 0 else { throw Self.error("ftruncate", path) }
    }

    deinit { Glibc.close(fd) }
}

enum Directory {
    /// Creates a directory and any missing parents, owner-only (0700): a store holds personal data.
    static func create(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST { throw POSIXFile.error("mkdir", prefix) }
        }
    }

    /// Makes a directory's entries (new files, renames) durable.
    static func sync(_ path: String) throws {
        let dir = try POSIXFile.open(path, flags: O_RDONLY | O_DIRECTORY)
        try dir.fullSync()
    }

    static func entries(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw POSIXFile.error("opendir", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Replaces `path` by `temporary` atomically.
    static func rename(_ temporary: String, to path: String) throws {
        guard Glibc.rename(temporary, path) == 0 else { throw POSIXFile.error("rename", path) }
    }

    static func remove(_ path: String) { unlink(path) }
}

/// An exclusive advisory lock on the store's `LOCK` file: one writing process at a time.
final class WriterLock: Sendable {
    let file: POSIXFile

    init(directory: String) throws {
        let path = directory + "/LOCK"
        file = try POSIXFile.open(path, flags: O_RDWR, create: true)
        guard flock(file.fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            if code == EWOULDBLOCK {
                throw EventLogError(
                    .storeLocked,
                    "another process (or another open store in this one) is writing to this store; open it read-only to read alongside",
                    location: path)
            }
            throw POSIXFile.error("flock", path, errno: code)
        }
        var pid = Array("\(getpid())\n".utf8)
        try? file.truncate(to: 0)
        try? file.write(pid, at: 0)
        pid.removeAll()
    }

    func release() { flock(file.fd, LOCK_UN) }
}
