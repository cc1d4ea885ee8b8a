import EventLog
import FileStore
import Foundation
import Testing

/// Records whose times no calendar can name (year 0, the first and last 64-bit instants): written by a library
/// caller, or by damage that kept the checksum. No command may trap on them.
@Suite("Out-of-range times")
struct OutOfRangeTimeTests {
    static let times: [Int64] = [.min, -62_167_219_200_000_000, .max]  // the first instant, 0000-01-01, the last

    /// The small log plus, for person E and person B, copies of their first events recorded at each out-of-range
    /// time (a store clock gone wrong), whose effective times are then rewritten to that time with every later
    /// checksum and chain hash recomputed (tampering that keeps the log consistent: stores refuse such times on append).
    static func store() async throws -> TemporaryDirectory {
        let dir = try SmallLog.imported()
        let path = dir.url.appendingPathComponent("store").path
        var rewrite: [LogPosition: Int64] = [:]
        for time in times {
            let store = try FileEventStore(directory: path, options: .init(clock: { Timestamp(microsecondsSinceEpoch: time) }))
            for person in [SmallLog.e, SmallLog.b] {
                let stream = try StreamID("person-" + person)
                let first = try #require(try await store.readStream(stream).first)
                let copy = ProposedEvent(type: first.type, schemaVersion: first.schemaVersion,
                                         effectiveTime: first.effectiveTime, payload: first.payload, metadata: first.metadata)
                rewrite[try await store.append([copy], to: stream).positions.lowerBound] = time
            }
            try await store.close()
        }
        try rewriteEffectiveTimes(path + "/00000001.seg", rewrite)
        return dir
    }

    /// Sets the effective time of the records at the given positions and recomputes every chain hash and CRC-32C.
    static func rewriteEffectiveTimes(_ path: String, _ times: [LogPosition: Int64]) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var previous = RecordHash.genesis
        var offset = 64
        while offset + 8 <= bytes.count {
            let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
            let body = offset + 8
            let position = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[body + $1]) << (8 * UInt64($1)) }
            if let time = times[position] {
                for i in 0..<8 { bytes[body + RecordFormat.effectiveTimeOffset + i] = UInt8(truncatingIfNeeded: UInt64(bitPattern: time) >> (8 * UInt64(i))) }
            }
            let hash = bytes.withUnsafeBytes { RecordHash.chaining(previous, body: UnsafeRawBufferPointer(rebasing: $0[body..<(body + length)])) }
            bytes.replaceSubrange((body + RecordFormat.hashOffset)..<(body + RecordFormat.hashOffset + 32), with: hash.bytes)
            let crc = CRC32C.checksum(Array(bytes[body..<(body + length)]))
            for i in 0..<4 { bytes[offset + 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
            previous = hash
            offset = body + length
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test("Every view, history, explain, replay and verify run without trapping; export refuses with a typed error")
    func noCommandTraps() async throws {
        let dir = try await Self.store()
        let commands: [[String]] = [
            ["replay"], ["stats", "--format", "csv"], ["coverage", "--as-of", "2024-06-30"], ["worklist"],
            ["ledger", "--interruptions"], ["history", SmallLog.b, "--format", "csv"], ["explain", SmallLog.e],
        ]
        for command in commands {
            let result = try dir.registry(arguments: [command[0], "--store", "store"] + command.dropFirst())
            #expect(result.status == 0 || result.status == 1, "\(command): \(result)")
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("backtrace") && !result.stderr.contains("Stack dump"),
                    "\(command): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count <= 1, "\(command): \(result.stderr)")
        }
        let verify = try dir.registry("verify", "--store", "store")
        #expect(verify.stdout.hasPrefix("intact up to 15 "))
        let history = try dir.registry("history", "--store", "store", SmallLog.e)
        #expect(history.status == 0)
        #expect(history.stdout.contains("out of range"))
        for arguments in [["export"], ["export", "--stream", SmallLog.e]] {
            let export = try dir.registry(arguments: arguments + ["--store", "store"])
            #expect(export.status == 1, "\(arguments)")
            #expect(export.stderr.contains("time-out-of-range"), "\(export.stderr)")
            #expect(export.stderr.contains("position 10"), "\(export.stderr)")
        }
    }
}
