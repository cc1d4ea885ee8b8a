import Synchronization

/// A test's view of the importer's chunk parses (``JSONLinesImporter``): bound as a task-local around an import,
/// it counts the parses started and those still running, so a test can see that an import that fails leaves no parse
/// running behind it. Unbound (always, outside tests), it costs one task-local read per chunk of lines.
final class ChunkParseProbe: Sendable {
    /// The probe of the current task, inherited by the parse tasks an import starts.
    @TaskLocal static var current: ChunkParseProbe?

    private let counts = Mutex<(started: Int, running: Int)>((0, 0))
    /// The parses after the first this many are held back by ``delay`` before they run: a slow parse, still running
    /// when the judging of the chunk before it fails.
    private let fastParses: Int
    private let delay: Duration

    /// A probe; the parses after the first `fastParses` are held back by `delay` (a sleep, not a blocked thread).
    init(fastParses: Int = .max, delay: Duration = .zero) {
        self.fastParses = fastParses
        self.delay = delay
    }

    /// Parses started so far.
    var started: Int { counts.withLock { $0.started } }
    /// Parses started and not yet finished.
    var running: Int { counts.withLock { $0.running } }

    /// Runs one chunk's parse, counted.
    static func parse<R>(_ body: () -> R) async -> R {
        guard let probe = current else { return body() }
        let number = probe.counts.withLock { counts in
            counts.started += 1
            counts.running += 1
            return counts.started
        }
        defer { probe.counts.withLock { $0.running -= 1 } }
        if number > probe.fastParses { try? await Task.sleep(for: probe.delay) }
        return body()
    }
}
