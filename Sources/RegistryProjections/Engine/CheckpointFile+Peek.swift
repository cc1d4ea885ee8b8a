import EventLog
import Foundation

extension CheckpointFile {
    /// The position a checkpoint file says it was taken at and the first `count` bytes of its projection's state,
    /// read without loading or checking the rest: enough to choose among several checkpoints (a stamp,
    /// ``CutoffStamped/stamp(from:)``) before loading one, which checks everything (``load(_:from:settings:for:)``).
    /// - Returns: nil when the file cannot be read or does not start as a checkpoint.
    public static func peek(_ path: String, count: Int) -> (position: LogPosition, head: [UInt8])? {
        guard let buffer = readHead(path, 16 + 72 + count) else { return nil }
        return buffer.withUnsafeBytes { raw in
            var r = ByteReader(raw)
            guard r.u64() == magic, let length = r.u64(), length >= UInt64(72 + count), let position = r.u64() else { return nil }
            return (position, Array(raw[(16 + 72)...]))
        }
    }

    /// The anchor a checkpoint file records, read without loading or checking the rest: enough to tell whether it
    /// is of a given log (``check(_:fits:)``), as when the snapshots kept beside one refused as another log's are
    /// sorted out. Nil when the file cannot be read or does not start as a checkpoint.
    public static func peekAnchor(_ path: String) -> CheckpointAnchor? {
        guard let buffer = readHead(path, 16 + 72) else { return nil }
        return buffer.withUnsafeBytes { raw in
            var r = ByteReader(raw)
            guard r.u64() == magic, let length = r.u64(), length >= 72, let position = r.u64() else { return nil }
            return CheckpointAnchor(position: position, hash: RecordHash(bytes: raw.baseAddress! + 24),
                                    firstHash: RecordHash(bytes: raw.baseAddress! + 56))
        }
    }

    /// The first `size` bytes of a file; nil when it cannot be read or is shorter.
    private static func readHead(_ path: String, _ size: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, size - done, off_t(done)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return nil }
            done += n
        }
        return buffer
    }
}
