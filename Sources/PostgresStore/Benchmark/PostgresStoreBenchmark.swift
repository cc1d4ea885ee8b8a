import EventLog
import Foundation
import Synchronization

/// Timed runs of the PostgreSQL store's bulk paths, for the benchmark executable (`registry-bench`) and for
/// checking the figures in DESIGN.md, "The PostgreSQL store".
///
/// Every run uses synthetic events shaped like the registry's (a person stream of five events, a 60-byte payload,
/// a correlation id and an actor); the domain benchmark feeds its own generated log through
/// ``PostgresEventStore/append(_:)`` instead.
package enum PostgresStoreBenchmark {
    /// One measured run.
    package struct Measurement: Sendable, CustomStringConvertible {
        /// What was measured.
        package var name: String
        /// Events (or rows) handled.
        package var count: Int
        /// Wall-clock seconds.
        package var seconds: Double
        /// CPU seconds of this process (user + system) during the run.
        package var clientCPUSeconds: Double

        /// Events per second.
        package var perSecond: Double { Double(count) / max(seconds, 1e-9) }

        package var description: String {
            String(format: "%@: %d in %.2f s = %.0f/s (client CPU %.2f µs each)",
                   name, count, seconds, perSecond, clientCPUSeconds / Double(max(count, 1)) * 1e6)
        }
    }

    /// Appends `count` events as person streams of five, in calls of `callSize` events with `inFlight` calls
    /// running at once (group commit merges those that wait).
    /// - Throws: what ``PostgresEventStore/append(_:)`` throws, or the first failed request's error.
    package static func bulkLoad(
        _ store: PostgresEventStore, count: Int, callSize: Int = 20_000, inFlight: Int = 2, firstPerson: Int = 0
    ) async throws -> Measurement {
        // Generated before the clock starts: the figure is the store's, not the generator's.
        let calls = stride(from: 0, to: count, by: callSize).map {
            personRequests($0..<min(count, $0 + callSize), firstPerson: firstPerson)
        }
        return try await measure("bulk load", count) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                var next = 0, running = 0
                while next < calls.count || running > 0 {
                    while running < inFlight, next < calls.count {
                        let call = calls[next]
                        next += 1
                        running += 1
                        group.addTask { for result in try await store.append(call) { _ = try result.get() } }
                    }
                    try await group.next()
                    running -= 1
                }
            }
        }
    }

    /// Loads `count` events as person streams of five into an empty store with
    /// ``PostgresEventStore/importLog(_:)``, in batches of `batchSize` events.
    package static func bulkImport(_ store: PostgresEventStore, count: Int, batchSize: Int = 20_000) async throws -> Measurement {
        let batches = stride(from: 0, to: count, by: batchSize).map {
            personRequests($0..<min(count, $0 + batchSize), firstPerson: 0)
        }
        return try await measure("bulk import", count) {
            _ = try await store.importLog(AsyncStream { c in for b in batches { c.yield(b) }; c.finish() })
        }
    }

    /// Reads the whole log through `EventStore/readAll(from:filter:batchSize:)`, touching every record.
    package static func replay(_ store: PostgresEventStore, batchSize: Int = 8192) async throws -> Measurement {
        var count = 0
        let m = try await measure("replay", 0) {
            var checksum: UInt64 = 0
            for try await batch in store.readAll(batchSize: batchSize) {
                count += batch.count
                batch.withRecords { views in for v in views { checksum &+= v.streamVersion } }
            }
            if checksum == .max { print("") }  // keep the loop
        }
        return Measurement(name: m.name, count: count, seconds: m.seconds, clientCPUSeconds: m.clientCPUSeconds)
    }

    /// The physical reference: ``PostgresEventStore/copyOutReference(from:)`` of the same rows.
    package static func copyReference(_ store: PostgresEventStore) async throws -> Measurement {
        var rows = 0
        let m = try await measure("COPY TO STDOUT (binary)", 0) { rows = try await store.copyOutReference().rows }
        return Measurement(name: m.name, count: rows, seconds: m.seconds, clientCPUSeconds: m.clientCPUSeconds)
    }

    /// `appenders` tasks each append `appendsEach` batches of `batchSize` events to new streams of their own,
    /// through the normal append path.
    package static func batchedAppends(
        _ store: PostgresEventStore, appenders: Int = 8, appendsEach: Int = 50, batchSize: Int = 100
    ) async throws -> Measurement {
        let tag = UUID().uuidString.prefix(8)
        return try await measure("batched appends of \(batchSize) from \(appenders) tasks", appenders * appendsEach * batchSize) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<appenders {
                    group.addTask {
                        for k in 0..<appendsEach {
                            let events = (0..<batchSize).map { _ in
                                ProposedEvent(id: fastID(), type: "Observed", effectiveTime: epoch, payload: payload, metadata: metadata)
                            }
                            try await store.append(events, to: try StreamID("batch-\(tag)-\(w)-\(k)"), expecting: .noStream)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    // MARK: Helpers

    /// The synthetic requests for events `range` (five per person), for timing their generation apart.
    package static func personRequestsForTesting(_ range: Range<Int>) -> [StreamAppend] { personRequests(range, firstPerson: 0) }

    static let epoch = Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000)
    static let payload = [UInt8](repeating: UInt8(ascii: "x"), count: 60)
    static let metadata = EventMetadata(correlationID: UUID(), actor: "source:tax")
    static let types = ["SourceObserved", "PersonRegistered", "Enrolled", "Interrupted", "StatusMarked"]

    /// One request per person: the events `range` of the synthetic log, five per person.
    static func personRequests(_ range: Range<Int>, firstPerson: Int) -> [StreamAppend] {
        var out: [StreamAppend] = []
        var i = range.lowerBound
        while i < range.upperBound {
            let k = min(5 - i % 5, range.upperBound - i)
            let events = (0..<k).map { j in
                ProposedEvent(id: fastID(), type: types[(i + j) % 5], effectiveTime: epoch, payload: payload, metadata: metadata)
            }
            let person = 110_101_1980_0101_0000 + firstPerson + i / 5
            out.append(StreamAppend(stream: try! StreamID("person-\(person)"), expected: .any, events: events))
            i += k
        }
        return out
    }

    /// A random version-4 UUID from a SplitMix64 stream seeded once: `UUID()` costs a system call per id here.
    static func fastID() -> UUID {
        let (a, b) = idState.withLock { s -> (UInt64, UInt64) in
            func next() -> UInt64 {
                s &+= 0x9E37_79B9_7F4A_7C15
                var z = s
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
            return (next(), next())
        }
        var bytes = (a, b)
        return withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = (raw[6] & 0x0F) | 0x40
            raw[8] = (raw[8] & 0x3F) | 0x80
            return UUID(uuid: raw.load(as: uuid_t.self))
        }
    }

    static let idState = Mutex<UInt64>(UInt64.random(in: .min ... .max))

    static func measure(_ name: String, _ count: Int, _ body: () async throws -> Void) async throws -> Measurement {
        let clock = ContinuousClock()
        let cpu0 = processCPUSeconds()
        let start = clock.now
        try await body()
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Measurement(name: name, count: count, seconds: seconds, clientCPUSeconds: processCPUSeconds() - cpu0)
    }

    static func processCPUSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }
}
