import Synchronization

/// A small pool of connection workers: each job goes to the worker with the fewest jobs in flight.
final class PGWorkerPool: Sendable {
    private let workers: [PGWorker]
    private let inFlight: Mutex<[Int]>

    /// Creates `size` workers (at least one) on the same connection string.
    init(options: PGConnectionOptions, size: Int, name: String, setup: String) {
        let n = max(1, size)
        workers = (0..<n).map { PGWorker(options: options.naming("\(name)-\($0)"), name: "\(name)-\($0)", setup: setup) }
        inFlight = Mutex([Int](repeating: 0, count: n))
    }

    /// Runs `body` on the least busy worker.
    func run<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        let index = inFlight.withLock { counts in
            var best = 0
            for i in counts.indices where counts[i] < counts[best] { best = i }
            counts[best] += 1
            return best
        }
        defer { inFlight.withLock { $0[index] -= 1 } }
        return try await workers[index].run(body)
    }

    /// Closes every connection.
    func close() async {
        for w in workers { await w.close() }
    }
}
