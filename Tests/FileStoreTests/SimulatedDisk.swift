import EventLog
import FuzzSupport
import Foundation
@testable import FileStore
#if canImport(Glibc)
import Glibc
#endif

/// A disk in memory that loses power: the file store's ``StorageIO`` for the power-loss harness, after SQLite's
/// crash-simulating file layer.
///
/// Every file keeps what the process sees (`data`) apart from what has reached the disk (`durable`: the data as of
/// its last `fdatasync`/`fsync`), and which byte ranges were written (or cut) since. Directory entries likewise: what
/// the process sees (`names`) and what a directory `fsync` made durable, with the operations (a new file, a rename,
/// a removal) made since. Power goes at the `lossAt`-th call that changes something (open with create, write,
/// truncate, sync, rename, remove, mkdir, directory sync): that call still reaches the page cache (a sync does not
/// complete) and throws, and so does every call after it, as if the process had died there.
///
/// ``image(_:)`` then draws what a fresh boot finds, as a power loss may leave it: per unsynced sector (512 B or
/// 4 KiB) the new bytes, the old ones, zeroes or garbage, each sector on its own (so a later sector may reach the disk
/// and an earlier one not); a file length anywhere between its synced and its written length; each unsynced
/// directory operation kept or lost. Bytes that were synced and not written since are never touched: sectors are
/// assumed to be written without damaging their other bytes (SQLite's "powersafe overwrite"), without which no
/// append-only file could keep an acknowledged record that shares a sector with a later, unsynced one.
final class SimulatedDisk: StorageIO, @unchecked Sendable {
    // @unchecked Sendable: every state access takes `lock`.

    /// Thrown by every call from the one where power is lost.
    struct PowerLost: Error, CustomStringConvertible {
        var description: String { "power lost" }
    }

    final class Inode {
        var data: [UInt8]
        var durable: [UInt8]
        /// Byte ranges written or cut since the last sync (cut ranges: the file got shorter there).
        var dirty: [Range<Int>] = []

        init(data: [UInt8], durable: [UInt8]) {
            self.data = data
            self.durable = durable
        }
    }

    enum DirectoryOperation {
        case link(String, Inode)
        case rename(String, String, Inode)
        case unlink(String)

        var directory: String {
            switch self {
            case .link(let p, _), .rename(_, let p, _), .unlink(let p): return SimulatedDisk.parent(p)
            }
        }
    }

    private let lock = NSLock()
    private var names: [String: Inode] = [:]
    private var durableNames: [String: Inode] = [:]
    private var pending: [DirectoryOperation] = []
    private var directories: Set<String> = []
    private var calls = 0
    /// The call (1-based, counting only calls that change something) at which power goes; nil: never.
    var lossAt: Int?
    /// What the call that lost power was, e.g. "write 00000002.seg" (nil while power is on).
    private(set) var lostAt: String?

    /// An empty disk.
    init() {}

    /// A disk holding `files` (path → bytes) durably, as after a boot.
    init(files: [String: [UInt8]], directories: Set<String>) {
        for (path, bytes) in files {
            let inode = Inode(data: bytes, durable: bytes)
            names[path] = inode
            durableNames[path] = inode
        }
        self.directories = directories
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }

    private static func name(_ path: String) -> String { String(path[path.index(after: path.lastIndex(of: "/") ?? path.startIndex)...]) }

    var callCount: Int { lock.withLock { calls } }
    var powerLost: Bool { lock.withLock { lostAt != nil } }

    /// Counts a call that changes something: throws when power is already gone; at the lossAt-th call, runs
    /// `effect` (the page cache takes it), then loses power and throws.
    private func change<T>(_ what: String, _ effect: () throws -> T) throws -> T {
        try lock.withLock {
            if lostAt != nil { throw PowerLost() }
            calls += 1
            let result = try effect()
            if let lossAt, calls >= lossAt {
                lostAt = what
                throw PowerLost()
            }
            return result
        }
    }

    private func alive() throws {
        try lock.withLock { if lostAt != nil { throw PowerLost() } }
    }

    // MARK: - StorageIO

    func open(_ path: String, flags: Int32, create: Bool) throws -> any StorageFile {
        let existing: Inode? = try lock.withLock {
            if lostAt != nil { throw PowerLost() }
            return names[path]
        }
        if let existing, !(create && flags & O_EXCL != 0) {
            if flags & O_TRUNC != 0 {
                let file = File(disk: self, inode: existing, path: path)
                try file.truncate(to: 0)
                return file
            }
            return File(disk: self, inode: existing, path: path)
        }
        guard create else { throw POSIXFile.error("open", path, errno: ENOENT) }
        if existing != nil { throw POSIXFile.error("open", path, errno: EEXIST) }
        guard lock.withLock({ directories.contains(Self.parent(path)) }) else { throw POSIXFile.error("open", path, errno: ENOENT) }
        let inode = Inode(data: [], durable: [])
        try change("create \(Self.name(path))") {
            names[path] = inode
            pending.append(.link(path, inode))
        }
        return File(disk: self, inode: inode, path: path)
    }

    func createDirectory(_ path: String) throws {
        try change("mkdir") { directories.insert(path) }
    }

    func syncDirectory(_ path: String) throws {
        try change("fsync directory") {
            // A sync of the directory makes its entries what the process sees now (a crash midway is any subset
            // of the pending operations, as a loss before it).
            pending.removeAll { $0.directory == path }
            for key in durableNames.keys where Self.parent(key) == path && names[key] == nil { durableNames[key] = nil }
            for (key, inode) in names where Self.parent(key) == path { durableNames[key] = inode }
        }
    }

    func entries(_ path: String) throws -> [String] {
        try lock.withLock {
            if lostAt != nil { throw PowerLost() }
            guard directories.contains(path) else { throw POSIXFile.error("opendir", path, errno: ENOENT) }
            return names.keys.filter { Self.parent($0) == path }.map(Self.name)
        }
    }

    func exists(_ path: String) -> Bool {
        lock.withLock { names[path] != nil || directories.contains(path) }
    }

    func rename(_ temporary: String, to path: String) throws {
        try change("rename \(Self.name(temporary))") {
            guard let inode = names[temporary] else { throw POSIXFile.error("rename", path, errno: ENOENT) }
            names[temporary] = nil
            names[path] = inode
            pending.append(.rename(temporary, path, inode))
        }
    }

    func remove(_ path: String) {
        _ = try? change("unlink \(Self.name(path))") {
            if names.removeValue(forKey: path) != nil { pending.append(.unlink(path)) }
        }
    }

    // MARK: - Files

    final class File: StorageFile, @unchecked Sendable {
        let disk: SimulatedDisk
        let inode: Inode
        let path: String

        init(disk: SimulatedDisk, inode: Inode, path: String) {
            self.disk = disk
            self.inode = inode
            self.path = path
        }

        var size: Int {
            get throws {
                try disk.alive()
                return disk.lock.withLock { inode.data.count }
            }
        }

        func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
            try disk.alive()
            return disk.lock.withLock {
                let n = max(0, min(buffer.count, inode.data.count - offset))
                if n > 0 { inode.data.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + n)])) } }
                return n
            }
        }

        func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
            try disk.change("write \(SimulatedDisk.name(path))") {
                if inode.data.count < offset { inode.data += [UInt8](repeating: 0, count: offset - inode.data.count) }
                let end = offset + bytes.count
                if inode.data.count < end { inode.data += [UInt8](repeating: 0, count: end - inode.data.count) }
                inode.data.replaceSubrange(offset..<end, with: bytes)
                inode.dirty.append(offset..<end)
            }
        }

        func sync() throws {
            try disk.change("fdatasync \(SimulatedDisk.name(path))") { }
            disk.lock.withLock {
                inode.durable = inode.data
                inode.dirty = []
            }
        }

        func fullSync() throws {
            try disk.change("fsync \(SimulatedDisk.name(path))") { }
            disk.lock.withLock {
                inode.durable = inode.data
                inode.dirty = []
            }
        }

        func truncate(to length: Int) throws {
            try disk.change("ftruncate \(SimulatedDisk.name(path))") {
                if length < inode.data.count {
                    inode.dirty.append(length..<inode.data.count)
                    inode.data.removeSubrange(length...)
                } else if length > inode.data.count {
                    inode.dirty.append(inode.data.count..<length)
                    inode.data += [UInt8](repeating: 0, count: length - inode.data.count)
                }
            }
        }
    }

    // MARK: - After the power loss

    /// How the unsynced bytes of one file came back.
    struct Tally {
        var sectorsNew = 0, sectorsOld = 0, sectorsZero = 0, sectorsGarbage = 0
        var directoryOperationsKept = 0, directoryOperationsLost = 0
        var filesLengthChanged = 0
    }

    /// What a boot after the power loss finds: path → bytes for every file whose directory entry reached the disk,
    /// drawn from `random`; with how the unsynced sectors and directory operations came back.
    func image(_ random: inout Mutator) -> (files: [String: [UInt8]], directories: Set<String>, tally: Tally) {
        lock.withLock {
            var tally = Tally()
            var entries = durableNames
            for operation in pending {
                guard Bool.random(using: &random) else { tally.directoryOperationsLost += 1; continue }
                tally.directoryOperationsKept += 1
                switch operation {
                case .link(let path, let inode): entries[path] = inode
                case .rename(let from, let to, let inode):
                    if entries[from] === inode { entries[from] = nil }
                    entries[to] = inode
                case .unlink(let path): entries[path] = nil
                }
            }
            let sector = Bool.random(using: &random) ? 512 : 4096
            // How likely a dirty sector is to come back new, old, zeroed or as garbage: drawn per loss, so some
            // losses keep nearly everything and others scramble.
            let weights = (0..<4).map { _ in Int.random(in: 0...8, using: &random) }
            let total = max(1, weights.reduce(0, +))
            var images: [ObjectIdentifier: [UInt8]] = [:]
            var files: [String: [UInt8]] = [:]
            for (path, inode) in entries.sorted(by: { $0.key < $1.key }) {
                if let done = images[ObjectIdentifier(inode)] { files[path] = done; continue }
                var bytes = inode.durable
                if !inode.dirty.isEmpty {
                    let low = min(inode.durable.count, inode.data.count), high = max(inode.durable.count, inode.data.count)
                    var length = inode.durable.count
                    if low != high {
                        switch Int.random(in: 0..<3, using: &random) {
                        case 0: length = inode.durable.count
                        case 1: length = inode.data.count
                        default: length = Int.random(in: low...high, using: &random)
                        }
                        if length != inode.durable.count { tally.filesLengthChanged += 1 }
                    }
                    if bytes.count > length { bytes.removeSubrange(length...) } else { bytes += [UInt8](repeating: 0, count: length - bytes.count) }
                    var sectors = Set<Int>()
                    for range in inode.dirty where !range.isEmpty {
                        for s in (range.lowerBound / sector)...((range.upperBound - 1) / sector) { sectors.insert(s) }
                    }
                    for s in sectors.sorted() where s * sector < length {
                        let span = (s * sector)..<min(length, s * sector + sector)
                        var roll = Int.random(in: 0..<total, using: &random)
                        var outcome = 0
                        while outcome < 3 && roll >= weights[outcome] { roll -= weights[outcome]; outcome += 1 }
                        if weights.allSatisfy({ $0 == 0 }) { outcome = 0 }
                        switch outcome {
                        case 0: tally.sectorsNew += 1
                        case 1: tally.sectorsOld += 1
                        case 2: tally.sectorsZero += 1
                        default: tally.sectorsGarbage += 1
                        }
                        // Only the bytes written (or cut) since the sync change: the sector's synced bytes stay.
                        for range in inode.dirty {
                            let lo = max(range.lowerBound, span.lowerBound), hi = min(range.upperBound, span.upperBound)
                            guard lo < hi else { continue }
                            for i in lo..<hi {
                                switch outcome {
                                case 0: bytes[i] = i < inode.data.count ? inode.data[i] : 0
                                case 1: bytes[i] = i < inode.durable.count ? inode.durable[i] : 0
                                case 2: bytes[i] = 0
                                default: bytes[i] = UInt8.random(in: 0...255, using: &random)
                                }
                            }
                        }
                    }
                }
                images[ObjectIdentifier(inode)] = bytes
                files[path] = bytes
            }
            return (files, directories, tally)
        }
    }
}
