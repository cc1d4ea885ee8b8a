import EventLog
import Foundation

/// A projection that can be saved with its position and restored, so a restart resumes instead of replaying.
public protocol CheckpointCodable: Projection {
    /// The state and position as bytes.
    func checkpointBytes() -> [UInt8]
    /// The same bytes as ``checkpointBytes()``, as pieces handed to `body` in order: a large state passes its own
    /// buffers rather than a copy of them (by default, the one piece ``checkpointBytes()`` makes).
    func withCheckpointPieces<R>(_ body: ([UnsafeRawBufferPointer]) throws -> R) rethrows -> R
    /// Restores state and position; nil when the bytes were written with other settings or another format.
    init?(checkpoint: UnsafeRawBufferPointer, settings: ProjectionSettings)
}

extension CheckpointCodable {
    public func withCheckpointPieces<R>(_ body: ([UnsafeRawBufferPointer]) throws -> R) rethrows -> R {
        try checkpointBytes().withUnsafeBytes { try body([$0]) }
    }
}

/// What ties a checkpoint to one log: the chain hash of the record at its position, and of the first record (the
/// log's identity). A checkpoint is used only on a log whose records there have these hashes: another store, or the
/// same one restored from its export (new recorded times, so new hashes), does not match.
public struct CheckpointAnchor: Sendable, Hashable {
    /// The position the checkpoint was taken at.
    public var position: LogPosition
    /// The chain hash of the record at ``position`` (the genesis hash at 0).
    public var hash: RecordHash
    /// The chain hash of record 1 (the genesis hash for an empty log).
    public var firstHash: RecordHash

    /// Creates an anchor.
    public init(position: LogPosition, hash: RecordHash, firstHash: RecordHash) {
        self.position = position
        self.hash = hash
        self.firstHash = firstHash
    }

    /// The anchor of `store` at `position`: the hashes of its records there and at 1.
    /// - Throws: the store's errors; `EventLogError/Code/invalidArgument` when `position` is beyond the head.
    public static func of<S: EventStore>(_ store: S, at position: LogPosition) async throws -> CheckpointAnchor {
        guard position > 0 else { return CheckpointAnchor(position: 0, hash: .genesis, firstHash: .genesis) }
        func hash(at p: LogPosition) async throws -> RecordHash {
            let batch = try await store.read(from: p, filter: .all, maxCount: 1)
            let found = batch.withRecords { views in views.first.flatMap { $0.position == p ? $0.hash : nil } }
            guard let found else { throw EventLogError(.invalidArgument, "the log has no record at position \(p)", position: p) }
            return found
        }
        return CheckpointAnchor(position: position, hash: try await hash(at: position), firstHash: try await hash(at: 1))
    }
}

/// Saves and loads checkpoints: one file, written owner-only to a temporary name, synced and renamed into place
/// (`PrivateFile`), with a CRC-32C over its content, so a crash leaves either the old checkpoint or the new one.
/// Each carries its ``CheckpointAnchor``.
public enum CheckpointFile {
    static let magic: UInt64 = 0x3230_5450_4B43_5243  // "CRCKPT02"

    /// Saves a projection's checkpoint with the anchor of the log it was folded from.
    /// - Parameters:
    ///   - projection: the projection.
    ///   - anchor: the log's hashes at the projection's position (``CheckpointAnchor/of(_:at:)``).
    ///   - path: the file, replaced.
    /// - Throws: `EventLogError` with code `EventLogError/Code/ioFailure`, or
    ///   `EventLogError/Code/invalidArgument` when the anchor is not at the projection's position.
    public static func save<P: CheckpointCodable>(_ projection: P, anchor: CheckpointAnchor, to path: String) throws {
        try withEncoded(projection, anchor: anchor) { pieces in
            let file = try PrivateFile(replacing: path)
            do {
                for piece in pieces { try file.write(piece) }
                try file.commit()
            } catch {
                file.discard()
                throw error
            }
        }
    }

    /// The bytes a checkpoint file holds (magic, length, anchor, the projection's state, CRC-32C), handed to `body`
    /// as pieces in order without copying the state: what ``save(_:anchor:to:)`` writes to a file, and what a store
    /// that keeps checkpoints elsewhere (a PostgreSQL table) keeps. ``decode(_:_:settings:)`` reads them back.
    /// - Throws: `EventLogError/Code/invalidArgument` when the anchor is not at the projection's position; what
    ///   `body` throws.
    public static func withEncoded<P: CheckpointCodable, R>(
        _ projection: P, anchor: CheckpointAnchor, _ body: ([UnsafeRawBufferPointer]) throws -> R
    ) throws -> R {
        guard anchor.position == projection.position else {
            throw EventLogError(.invalidArgument, "the anchor is at position \(anchor.position), the projection at \(projection.position)")
        }
        // The state is handed out as it is, between a small head and the CRC: no copy of it is made (a city's views
        // are hundreds of megabytes).
        var anchorBytes: [UInt8] = []
        anchorBytes.appendLE(anchor.position)
        anchorBytes += anchor.hash.bytes
        anchorBytes += anchor.firstHash.bytes
        return try projection.withCheckpointPieces { pieces in
            var crc = CRC32C.checksum(anchorBytes)
            for piece in pieces { crc = CRC32C.checksum(piece, extending: crc) }
            var head: [UInt8] = []
            head.appendLE(magic)
            head.appendLE(UInt64(anchorBytes.count + pieces.reduce(0) { $0 + $1.count }))
            var tail: [UInt8] = []
            tail.appendLE(crc)
            return try head.withUnsafeBytes { h in
                try anchorBytes.withUnsafeBytes { a in
                    try tail.withUnsafeBytes { t in try body([h, a] + pieces + [t]) }
                }
            }
        }
    }

    /// Loads a checkpoint and its anchor; nil when there is none, or it is damaged (bytes after its CRC included) or
    /// was taken with other settings. Whether it belongs to a given log is for ``load(_:from:settings:for:)`` to say.
    public static func load<P: CheckpointCodable>(_: P.Type, from path: String, settings: ProjectionSettings) -> (projection: P, anchor: CheckpointAnchor)? {
        return mapped(path) { raw in decode(P.self, raw, settings: settings) }
    }

    /// Reads the bytes of a checkpoint (``withEncoded(_:anchor:_:)``): the projection and its anchor; nil when they
    /// are damaged (length, CRC, bytes after the CRC), of another format, or taken with other settings
    /// (``decoded(_:_:settings:)`` says which).
    public static func decode<P: CheckpointCodable>(
        _: P.Type, _ raw: UnsafeRawBufferPointer, settings: ProjectionSettings
    ) -> (projection: P, anchor: CheckpointAnchor)? {
        try? decoded(P.self, raw, settings: settings).get()
    }

    /// Reads the bytes of a checkpoint (``withEncoded(_:anchor:_:)``): the projection and its anchor, or why they
    /// are refused: ``Refusal/Kind/damaged`` when they are shorter than their head, their length or CRC does not
    /// match, or bytes follow the CRC (a checkpoint is exactly its length: a longer file is not one); else
    /// ``Refusal/Kind/otherFormat`` (another magic, or a state the projection does not read with these settings).
    public static func decoded<P: CheckpointCodable>(
        _: P.Type, _ raw: UnsafeRawBufferPointer, settings: ProjectionSettings
    ) -> Result<(projection: P, anchor: CheckpointAnchor), Refusal> {
        guard raw.count >= 20 else { return .failure(.damaged("it is \(raw.count) bytes, shorter than a checkpoint's head and CRC")) }
        var r = ByteReader(raw)
        guard r.u64() == magic else { return .failure(.otherFormat) }
        guard let length = r.u64(), length >= 72, length <= UInt64(raw.count - 20) else {
            return .failure(.damaged("its length does not fit its \(raw.count) bytes"))
        }
        let n = Int(length)
        guard n == raw.count - 20 else { return .failure(.damaged("\(raw.count - 20 - n) bytes follow its CRC")) }
        guard let body = r.bytes(n), let crc = r.u32(), CRC32C.checksum(body) == crc else {
            return .failure(.damaged("its CRC does not match"))
        }
        let position = UInt64(littleEndian: body.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        let anchor = CheckpointAnchor(position: position, hash: RecordHash(bytes: body.baseAddress! + 8),
                                      firstHash: RecordHash(bytes: body.baseAddress! + 40))
        guard let projection = P(checkpoint: UnsafeRawBufferPointer(rebasing: body[72...]), settings: settings) else {
            return .failure(.otherFormat)
        }
        guard projection.position == anchor.position else {
            return .failure(.damaged("its state is at position \(projection.position), its anchor at \(anchor.position)"))
        }
        return .success((projection, anchor))
    }

    /// Runs `body` over the file's bytes, mapped rather than read: the projection copies out what it keeps, so the
    /// file is not copied a second time into a buffer first. Checkpoints are replaced by renaming a new file over
    /// them, never rewritten in place, so the mapped file does not change under the reader. Nil when the file cannot
    /// be opened or mapped.
    static func mapped<R>(_ path: String, _ body: (UnsafeRawBufferPointer) -> R?) -> R? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(st.st_size)
        guard size > 0 else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        defer { munmap(base, size) }
        _ = madvise(base, size, MADV_WILLNEED)
        return body(UnsafeRawBufferPointer(start: base, count: size))
    }

    /// Why a checkpoint was not used: its ``kind`` (what a caller acts on) and the reason in words.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        /// What kind of refusal: a caller drops the snapshots of ``anotherLog`` but keeps trying after ``logUnreadable``.
        public enum Kind: String, Sendable, Hashable {
            /// There is no checkpoint.
            case missing
            /// Its bytes fail their checks (too short, length, CRC, bytes after the CRC).
            case damaged
            /// Another format, or taken with other settings.
            case otherFormat
            /// It is of another log (or of this one before it was restored or altered): its position is beyond the
            /// head, or the log's chain hashes differ from those it recorded. Every snapshot kept beside it is then
            /// suspect too.
            case anotherLog
            /// The log could not be read where the checkpoint is anchored (a passing failure: nothing to drop).
            case logUnreadable
        }

        /// What kind of refusal.
        public var kind: Kind
        /// In words.
        public var reason: String
        public var description: String { reason }

        /// Creates a refusal.
        public init(_ kind: Kind, reason: String) {
            self.kind = kind
            self.reason = reason
        }

        /// The bytes fail their checks: the note names it damaged, with the detail.
        static func damaged(_ detail: String) -> Refusal {
            Refusal(.damaged, reason: "the checkpoint is damaged (\(detail))")
        }

        /// Another format, or other settings.
        static var otherFormat: Refusal {
            Refusal(.otherFormat, reason: "the checkpoint is of another format, or taken with other settings")
        }
    }

    /// Loads a checkpoint only if it belongs to `store`: its position is not beyond the head and the store's
    /// records at its position and at 1 have the hashes it recorded.
    /// - Returns: the projection, or why it was not used (missing, damaged, other settings, another log).
    public static func load<P: CheckpointCodable, S: EventStore>(
        _: P.Type, from path: String, settings: ProjectionSettings, for store: S
    ) async -> Result<P, Refusal> {
        guard FileManager.default.fileExists(atPath: path) else { return .failure(Refusal(.missing, reason: "there is no checkpoint file")) }
        let read: Result<(projection: P, anchor: CheckpointAnchor), Refusal> = mapped(path) { raw in decoded(P.self, raw, settings: settings) }
            ?? .failure(Refusal(.damaged, reason: "the checkpoint file cannot be read"))
        let projection: P, anchor: CheckpointAnchor
        switch read {
        case .success(let found): (projection, anchor) = found
        case .failure(let refusal): return .failure(refusal)
        }
        if let refusal = await check(anchor, fits: store) { return .failure(refusal) }
        return .success(projection)
    }

    /// Whether a checkpoint with this anchor belongs to `store`: its position is not beyond the head and the store's
    /// records at its position and at 1 have the hashes it recorded. Nil when it does; else why not.
    public static func check<S: EventStore>(_ anchor: CheckpointAnchor, fits store: S) async -> Refusal? {
        do {
            let head = try await store.headPosition()
            guard anchor.position <= head else {
                return Refusal(.anotherLog, reason: "the checkpoint is at position \(anchor.position), beyond this log's head \(head): it is of another log")
            }
            guard try await CheckpointAnchor.of(store, at: anchor.position) == anchor else {
                return Refusal(.anotherLog, reason: "the log's records at the checkpoint's position do not have the hashes it recorded: it is of another log, or of this one before it was restored or altered")
            }
        } catch {
            return Refusal(.logUnreadable, reason: "the log could not be read at the checkpoint's position: \(error)")
        }
        return nil
    }
}
