import EventLog
import FileStore
import Foundation

/// Times opening an existing file store, as a writer (taking the lock, rebuilding the writer's tables) or as a
/// reader, then one read of the head: the wait before a one-line import or a `history`.
struct OpenBenchmark {
    let directory: String

    func run(writer: Bool) async throws {
        let cpu0 = Measure.cpuSeconds
        let (store, seconds) = try await Measure.seconds {
            try await FileEventStore.open(directory: directory, options: .init(readOnly: !writer))
        }
        let cpu = Measure.cpuSeconds - cpu0
        let head = try await store.headPosition()
        let (_, closing) = try await Measure.seconds { try await store.close() }
        let r = store.recovery
        say("file  open (\(writer ? "writer" : "reader")) \(head) events, \(r.segments) segments in \(String(format: "%.3f", seconds)) s"
            + " (cpu \(String(format: "%.3f", cpu)) s; close \(String(format: "%.3f", closing)) s)  peak \(Measure.mib(Measure.peakResidentBytes))"
            + (r.damage.map { "  damage: \($0.code)" } ?? ""))
    }
}
