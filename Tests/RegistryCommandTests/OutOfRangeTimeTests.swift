import EventLog
import FileStore
import Foundation
import Testing

/// Records whose times no calendar can name (year 0, the first and last 64-bit instants): written by a library
/// caller, or by damage that kept the checksum. No command may trap on them.
@Suite("Out-of-range times")
struct OutOfRangeTimeTests {
    static let times: [Int64] = [.min, -62_167_219_200_000_000, .max]  // the first instant, 0000-01-01, the last

    /// The small log plus, for person E and person B, copies of their first events at each out-of-range time,
    /// recorded at an out-of-range time too.
    static func store() async throws -> TemporaryDirectory {
        let dir = try SmallLog.imported()
        let path = dir.url.appendingPathComponent("store").path
        for time in times {
            let store = try FileEventStore(directory: path, options: .init(clock: { Timestamp(microsecondsSinceEpoch: time) }))
            for person in [SmallLog.e, SmallLog.b] {
                let stream = try StreamID("person-" + person)
                let first = try #require(try await store.readStream(stream).first)
                let copy = ProposedEvent(type: first.type, schemaVersion: first.schemaVersion,
                                         effectiveTime: Timestamp(microsecondsSinceEpoch: time), payload: first.payload, metadata: first.metadata)
                try await store.append([copy], to: stream)
            }
            try await store.close()
        }
        return dir
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
