import EventLog
import Foundation

/// A projection that can be saved with its position and restored, so a restart resumes instead of replaying.
public protocol CheckpointCodable: Projection {
    /// The state and position as bytes.
    func checkpointBytes() -> [UInt8]
    /// Restores state and position; nil when the bytes were written with other settings or another format.
    init?(checkpoint: UnsafeRawBufferPointer, settings: ProjectionSettings)
}

/// Saves and loads checkpoints: one file, written to a temporary name, synced and renamed into place, with a
/// CRC-32C over its content, so a crash leaves either the old checkpoint or the new one.
public enum CheckpointFile {
    static let magic: UInt64 = 0x3130_5450_4B43_5243  // "CRCKPT01"

    /// Saves a projection's checkpoint.
    /// - Throws: `EventLogError` with code `EventLogError/Code/ioFailure`.
    public static func save<P: CheckpointCodable>(_ projection: P, to path: String) throws {
        var bytes: [UInt8] = []
        bytes.appendLE(magic)
        let body = projection.checkpointBytes()
        bytes.appendLE(UInt64(body.count))
        bytes.append(contentsOf: body)
        bytes.appendLE(CRC32C.checksum(body))
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw EventLogError(.ioFailure, "cannot write the checkpoint", location: temporary)
        }
        let fd = open(temporary, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
        guard rename(temporary, path) == 0 else {
            throw EventLogError(.ioFailure, "cannot move the checkpoint into place", location: path)
        }
    }

    /// Loads a checkpoint; nil when there is none, or it is damaged or was taken with other settings (the caller
    /// then rebuilds from position 0).
    public static func load<P: CheckpointCodable>(_: P.Type, from path: String, settings: ProjectionSettings) -> P? {
        guard let data = FileManager.default.contents(atPath: path), data.count >= 20 else { return nil }
        return data.withUnsafeBytes { raw -> P? in
            var r = ByteReader(raw)
            guard r.u64() == magic, let n = r.u64().map(Int.init), n <= raw.count - 20, let body = r.bytes(n), let crc = r.u32(),
                  CRC32C.checksum(body) == crc
            else { return nil }
            return P(checkpoint: body, settings: settings)
        }
    }
}
