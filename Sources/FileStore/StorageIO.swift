import EventLog
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file and directory calls the file store makes, behind one seam: the store's default is ``POSIXStorage``
/// (the system calls themselves); a test can put a simulated disk in its place (`Options.io`) to lose power at
/// any call and see what a fresh process would find.
///
/// Each call is one indirect call in front of a system call; the writer's lock (`WriterLock`, `flock`) is not
/// behind it.
protocol StorageIO: Sendable {
    /// Opens a file (`O_RDONLY`, `O_RDWR`, with `O_EXCL`/`O_TRUNC`); a created one is owner-only (0600).
    func open(_ path: String, flags: Int32, create: Bool) throws -> any StorageFile
    /// Creates a directory and any missing parents, owner-only (0700).
    func createDirectory(_ path: String) throws
    /// Makes a directory's entries (new files, renames, removals) durable.
    func syncDirectory(_ path: String) throws
    /// The names in a directory, `.` and `..` left out.
    func entries(_ path: String) throws -> [String]
    func exists(_ path: String) -> Bool
    /// Replaces `path` by `temporary` atomically.
    func rename(_ temporary: String, to path: String) throws
    func remove(_ path: String)
}

extension StorageIO {
    func open(_ path: String, flags: Int32) throws -> any StorageFile {
        try open(path, flags: flags, create: false)
    }
}

/// An open file of a ``StorageIO``.
protocol StorageFile: AnyObject, Sendable {
    var path: String { get }
    var size: Int { get throws }
    /// Reads exactly `buffer.count` bytes at `offset`, or fewer at the end of the file; returns how many.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int
    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws
    /// Makes written data durable (`fdatasync`).
    func sync() throws
    /// Makes written data and the file's metadata durable (`fsync`).
    func fullSync() throws
    func truncate(to length: Int) throws
}

extension StorageFile {
    /// Reads up to `count` bytes at `offset`.
    func read(count: Int, at offset: Int) throws -> [UInt8] {
        // Uninitialised capacity: the read fills it, no zeroing of megabytes first.
        var failure: (any Error)?
        let result = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do {
                initialized = try read(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return result
    }

    func write(_ bytes: [UInt8], at offset: Int) throws {
        do { try bytes.withUnsafeBytes { try write($0, at: offset) } } catch { throw error }
    }
}

/// The real file system: each call is the system call.
struct POSIXStorage: StorageIO {
    func open(_ path: String, flags: Int32, create: Bool) throws -> any StorageFile {
        try POSIXFile.open(path, flags: flags, create: create)
    }

    func createDirectory(_ path: String) throws { try Directory.create(path) }
    func syncDirectory(_ path: String) throws { try Directory.sync(path) }
    func entries(_ path: String) throws -> [String] { try Directory.entries(path) }
    func exists(_ path: String) -> Bool { Directory.exists(path) }
    func rename(_ temporary: String, to path: String) throws { try Directory.rename(temporary, to: path) }
    func remove(_ path: String) { Directory.remove(path) }
}
