#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that holds personal data (an export, a checkpoint), written owner-only and put in place whole.
///
/// The bytes go to a new file beside the target, created with mode 0600 (on Linux an unnamed one, O_TMPFILE, that
/// vanishes if the process dies before it is put in place); ``commit()`` syncs it and renames it over the target. So an existing file is replaced, never rewritten in place (a 0644 file does not stay 0644), and a
/// crash leaves the old file or the new one. Linux cannot put an unnamed file over an existing name in one call, so
/// ``commit()`` names it `<target>.tmp-<pid>` for the rename: a process killed between those two calls (or one on a
/// filesystem without O_TMPFILE, killed while writing) leaves that file behind, and the next writer of the same
/// target removes it once its process is gone (``removeLeftovers(of:)``). A target that exists and is not a regular file (a pipe, a terminal,
/// `/dev/null`) is written directly.
///
/// Not `Sendable`: one task writes.
public final class PrivateFile {
    /// The file being written.
    public let path: String
    private let temporary: String?
    private let fd: Int32
    private var finished = false

    /// Starts writing a file that will replace `path`.
    /// - Throws: ``EventLogError`` with code ``EventLogError/Code/ioFailure`` naming the file.
    public init(replacing path: String) throws(EventLogError) {
        self.path = path
        var st = stat()
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG {
            let opened = open(path, O_WRONLY | O_CLOEXEC)
            guard opened >= 0 else { throw Self.failure("open", path) }
            fd = opened
            temporary = nil
            return
        }
        Self.removeLeftovers(of: path)
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        #if os(Linux)
        // An unnamed file in the target's directory: if the process dies before ``commit()`` (killed, out of
        // memory, power), the kernel frees it and nothing is left behind. Filesystems without O_TMPFILE fall back
        // to the named temporary file.
        let anonymous = open(Self.directory(of: path), O_WRONLY | O_CLOEXEC | Self.oTmpFile, 0o600)
        if anonymous >= 0 {
            fd = anonymous
            self.temporary = temporary
            isAnonymous = true
            return
        }
        #endif
        let opened = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard opened >= 0 else { throw Self.failure("create", temporary) }
        fd = opened
        self.temporary = temporary
    }

    /// Whether the file being written has no name yet (O_TMPFILE): ``commit()`` links it in.
    private var isAnonymous = false

    #if os(Linux)
    /// `O_TMPFILE` (`__O_TMPFILE | O_DIRECTORY`; the C macro does not import).
    private static let oTmpFile: Int32 = 0o20000000 | O_DIRECTORY
    #endif

    /// The directory holding `path`.
    private static func directory(of path: String) -> String {
        let slash = path.lastIndex(of: "/")
        return slash.map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(EventLogError) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Self.failure("write", temporary ?? path) }
            offset += n
        }
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8]) throws(EventLogError) {
        do { try bytes.withUnsafeBytes { try write($0) } } catch let e as EventLogError { throw e } catch { throw EventLogError(.ioFailure, "\(error)") }
    }

    /// Syncs the file and moves it over the target.
    public func commit() throws(EventLogError) {
        guard !finished else { return }
        finished = true
        guard let temporary else {
            close(fd)
            return
        }
        guard fsync(fd) == 0 else {
            let e = Self.failure("fsync", temporary)
            close(fd); unlink(temporary)
            throw e
        }
        if isAnonymous {
            // Named only now, for the rename: a kill between the two calls is the one moment a temporary file can
            // stay behind.
            unlink(temporary)
            guard linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, temporary, AT_SYMLINK_FOLLOW) == 0 else {
                let e = Self.failure("link", temporary)
                close(fd)
                throw e
            }
        }
        guard rename(temporary, path) == 0 else {
            let e = Self.failure("rename", path)
            close(fd); unlink(temporary)
            throw e
        }
        close(fd)
        let dfd = open(Self.directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    /// Removes the temporary files that writers of `path` left when they were killed before putting them in place:
    /// the regular files named `<path>.tmp-<pid>`, owned by this user, whose process no longer exists. A file whose
    /// process still runs (a writer at work) is left alone, and so is anything that cannot be removed (a read-only
    /// directory): a leftover holds a whole or partial copy of the target and is never read.
    ///
    /// *Why by process:* the name carries the writer's process id, and a process that is gone cannot still be
    /// writing; a reused id only postpones the removal to a later writer.
    public static func removeLeftovers(of path: String) {
        let folder = directory(of: path)
        let prefix = Array((path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path).utf8) + Array(".tmp-".utf8)
        guard let dir = opendir(folder) else { return }
        defer { closedir(dir) }
        let me = getpid(), owner = geteuid()
        while let entry = readdir(dir) {
            let name: [UInt8] = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            guard name.count > prefix.count, name.starts(with: prefix) else { continue }
            let digits = name[prefix.count...]
            guard digits.count <= 10, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  let pid = Int32(String(decoding: digits, as: UTF8.self)), pid > 0, pid != me else { continue }
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }
            let leftover = (folder == "/" ? "" : folder) + "/" + String(decoding: name, as: UTF8.self)
            var st = stat()
            guard lstat(leftover, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_uid == owner else { continue }
            unlink(leftover)
        }
    }

    /// Abandons the file: the target is left as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        close(fd)
        if let temporary, !isAnonymous { unlink(temporary) }
    }

    /// Writes `bytes` as the whole new content of `path`.
    /// - Throws: ``EventLogError`` with code ``EventLogError/Code/ioFailure``.
    public static func write(_ bytes: [UInt8], replacing path: String) throws(EventLogError) {
        let file = try PrivateFile(replacing: path)
        do {
            try file.write(bytes)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    deinit { discard() }

    private static func failure(_ call: String, _ path: String) -> EventLogError {
        let code = errno
        return EventLogError(.ioFailure, "\(call) failed: \(String(cString: strerror(code))) (errno \(code))", location: path)
    }
}
