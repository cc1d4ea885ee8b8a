import Foundation
import Glibc

/// Runs the built `registry` under a resource fault the kernel enforces on root too: a file-size limit
/// (`RLIMIT_FSIZE` through `prlimit`, with SIGXFSZ ignored so that a write past it fails with EFBIG, as a full disk
/// fails with ENOSPC), or another user (`setpriv`, so that a directory's mode holds even when the tests run as
/// root, which bypasses permission bits).
enum ConfinedRun {
    /// The unprivileged user a root test runs `registry` as (nobody).
    static let unprivileged: UInt32 = 65534

    /// Whether the tests run as root (permission bits do not stop root: a read-only directory needs another user).
    static var isRoot: Bool { getuid() == 0 }

    /// Runs `registry` in `dir`, with each file it writes limited to `fileSizeLimit` bytes, and/or as the
    /// unprivileged user.
    static func registry(_ arguments: [String], in dir: URL, fileSizeLimit: Int? = nil, asUnprivileged: Bool = false) throws -> RegistryTool.Result {
        var wrapper: [String] = []
        if let fileSizeLimit { wrapper += ["prlimit", "--fsize=\(fileSizeLimit)", "--"] }
        if asUnprivileged { wrapper += ["setpriv", "--reuid=\(unprivileged)", "--regid=\(unprivileged)", "--clear-groups", "--"] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // `trap '' XFSZ`: an ignored signal stays ignored across exec, so the limit makes write(2) fail with EFBIG
        // instead of killing the process.
        process.arguments = ["-c", "trap '' XFSZ; exec \"$@\"", "sh"] + wrapper + [try RegistryTool.executable()] + arguments
        process.currentDirectoryURL = dir
        // Outputs through pipes: the file-size limit applies to every regular file the process writes, its
        // standard output and error too if they were files.
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return RegistryTool.Result(
            status: process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Gives a directory tree to the unprivileged user (when root) and sets the directory's own mode.
    static func handOver(_ path: String, mode: mode_t) throws {
        if isRoot {
            let enumerator = FileManager.default.enumerator(atPath: path)
            chown(path, unprivileged, unprivileged)
            while let name = enumerator?.nextObject() as? String {
                chown((path as NSString).appendingPathComponent(name), unprivileged, unprivileged)
            }
        }
        guard chmod(path, mode) == 0 else { throw RegistryTool.NotFound(description: "chmod \(path) failed") }
    }

    /// Takes a directory tree back (when root) and makes it writable again, so that it can be removed.
    static func takeBack(_ path: String) {
        chmod(path, 0o700)
        guard isRoot else { return }
        chown(path, 0, 0)
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let name = enumerator?.nextObject() as? String { chown((path as NSString).appendingPathComponent(name), 0, 0) }
    }

    /// Every file under a directory, relative, sorted (to show that nothing was left behind).
    static func files(under path: String) -> [String] {
        (FileManager.default.subpaths(atPath: path) ?? []).sorted()
    }
}
