import EventLog
import Foundation
import PostgresStore
import RegistryProjections
import RegistrySimulation

/// The same figures for the PostgreSQL store: load through the normal append path, raw read, replay into the
/// three views, and `COPY … TO STDOUT (FORMAT binary)` of the same rows as the physical reference.
/// An async sequence over batches already in memory.
struct InMemoryBatches: AsyncSequence, Sendable {
    let batches: [[StreamAppend]]
    struct AsyncIterator: AsyncIteratorProtocol {
        var base: IndexingIterator<[[StreamAppend]]>
        mutating func next() async -> [StreamAppend]? { base.next() }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: batches.makeIterator()) }
}

extension Array where Element == [StreamAppend] {
    var async: InMemoryBatches { InMemoryBatches(batches: self) }
}

struct PostgresBenchmark {
    let connectionString: String
    let schema: String
    let events: Int

    func open() async throws -> PostgresEventStore {
        try await PostgresEventStore(.init(connectionString: connectionString, schema: schema, readerConnections: 2))
    }

    func load() async throws -> (events: Int, seconds: Double) {
        let store = try await open()
        defer { Task { try? await store.close() } }
        let simulation = CitySimulation(.events(events))
        return try await Measure.seconds { try await simulation.load(into: store, batchEvents: 10_000) }
    }

    /// The synthetic city's log in batches of 20,000 events, made before any clock starts: the bulk figures are
    /// the store's, not the generator's, and the import and its COPY reference load the same requests.
    func batches() -> [[StreamAppend]] { Array(CitySimulation(.events(events)).batches(batchEvents: 20_000)) }

    /// The bulk path: `importLog` into an empty log of its own (one COPY stream, keys built at the end).
    func bulkImport(_ batches: [[StreamAppend]]) async throws -> (events: Int, seconds: Double) {
        let store = try await PostgresEventStore(.init(connectionString: connectionString, schema: schema, readerConnections: 1))
        let (summary, seconds) = try await Measure.seconds { try await store.importLog(batches.async) }
        try await store.close()
        return (summary.events, seconds)
    }

    /// The physical reference of the bulk load: the same rows encoded first, then one binary
    /// `COPY … FROM STDIN (FREEZE)` into a keyless table of the same columns (created, loaded and committed in the
    /// timed part).
    func copyInReference(_ batches: [[StreamAppend]], keys: Bool) async throws -> (rows: Int, bytes: Int, seconds: Double) {
        let store = try await PostgresEventStore(.init(connectionString: connectionString, schema: schema + "_ref", readerConnections: 1))
        let r = try await store.copyInReference(batches.async, keys: keys)
        try await store.close()
        return (r.rows, r.bytes, r.seconds)
    }

    /// Drops this benchmark's log (its whole schema), for another bulk import into an empty one.
    func dropLog() async throws {
        let connection = try PGConnection(connectionString)
        try connection.execute("DROP SCHEMA \"\(schema)\" CASCADE")
    }

    /// CPU seconds used so far by this benchmark's server: its postmaster (found as the parent of a backend of
    /// `connectionString`) and the postmaster's children, plus the children it has reaped, from `/proc`. The
    /// server's side of a measurement is the difference. Only that server's processes count: another PostgreSQL on
    /// the same machine (a test suite's throwaway server) starting or stopping must not move the figure.
    static func serverCPU(_ connectionString: String) -> Double {
        // A closed store's server processes end a moment after its connections close; once the postmaster has
        // reaped them their time is in its children's.
        usleep(300_000)
        guard let connection = try? PGConnection(connectionString),
            let backend = try? connection.query("SELECT pg_backend_pid()::text", binaryResult: false),
            let backendPID = Int(backend.string(0, 0)), let postmaster = stat(of: backendPID)?.parent
        else { return .nan }
        var ticks = 0
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for name in entries where name.allSatisfy(\.isNumber) {
            // The backend of this query is a child too; its few ticks are in both readings.
            guard let pid = Int(name), let process = stat(of: pid), pid == postmaster || process.parent == postmaster
            else { continue }
            ticks += process.ticks
        }
        return Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A process's parent and its CPU ticks (its own and its reaped children's), from `/proc/<pid>/stat`.
    private static func stat(of pid: Int) -> (parent: Int, ticks: Int)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the name: state is field 3, ppid 4, utime 14, stime 15, cutime 16, cstime 17 (indices 0, 1, 11...14).
        guard fields.count > 14, let parent = Int(fields[1]) else { return nil }
        return (parent, (11...14).reduce(0) { $0 + (Int(fields[$1]) ?? 0) })
    }

    func copyReference() async throws -> (rows: Int, bytes: Int, seconds: Double) {
        let store = try await open()
        let (copy, seconds) = try await Measure.seconds { try await store.copyOutReference() }
        try await store.close()
        return (copy.rows, copy.bytes, seconds)
    }

    /// Reads the whole log with `read(from:filter:maxCount:)` in a loop, without `readAll`'s read-ahead (a store
    /// whose reads do not check the chain is then read without the check, which shows what the check costs).
    func readWithoutChainCheck() async throws -> (count: Int, seconds: Double) {
        let store = try await open()
        let result = try await Measure.seconds { () async throws -> Int in
            var next: LogPosition = 1, n = 0
            var check: UInt64 = 0
            while true {
                let batch = try await store.read(from: next, filter: .all, maxCount: 16_384)
                if batch.isEmpty { break }
                batch.withRecords { views in for v in views { check &+= v.position &+ UInt64(v.payload.count) } }
                n += batch.count
                next = batch.nextPosition
            }
            precondition(check != 0 || n == 0)
            return n
        }
        try await store.close()
        return result
    }

    func rawRead() async throws -> (count: Int, seconds: Double) {
        let store = try await open()
        let result = try await StoreMeasurements.rawRead(store)
        try await store.close()
        return result
    }

    func replay() async throws -> (events: Int, seconds: Double, cpu: Double, peak: Int) {
        let store = try await open()
        let r = try await StoreMeasurements.replay(store)
        try await store.close()
        return (r.events, r.seconds, r.cpu, r.peak)
    }

    /// Appends of `batch` events per call from `writers` concurrent tasks, through the normal append path.
    func batchedAppends(writers: Int, batches: Int, batch: Int) async throws -> (events: Int, seconds: Double) {
        let store = try await open()
        let result = try await StoreMeasurements.batchedAppends(store, writers: writers, batches: batches, batch: batch)
        try await store.close()
        return result
    }
}
