import EventLog
import FileStore
import Foundation
import Testing

@Suite("File store recovery and damage")
struct FileEventStoreRecoveryTests {
    static func event(_ i: Int) -> ProposedEvent {
        ProposedEvent(type: "Counted", effectiveTime: Timestamp(microsecondsSinceEpoch: Int64(i)),
                      payload: Array("event number \(i)".utf8), metadata: EventMetadata(actor: "test"))
    }

    static func fill(_ dir: TemporaryDirectory, count: Int, options: FileEventStore.Options = .init()) async throws -> [RecordedEvent] {
        let store = try FileEventStore(directory: dir.path, options: options)
        for i in 0..<count { try await store.append([event(i)], to: try StreamID("s-\(i % 3)")) }
        var all: [RecordedEvent] = []
        for try await batch in store.readAll() { all += batch.events }
        try await store.close()
        return all
    }

    static func readAll(_ store: FileEventStore) async throws -> [RecordedEvent] {
        var all: [RecordedEvent] = []
        for try await batch in store.readAll() { all += batch.events }
        return all
    }

    @Test("A torn last record is cut back at every byte offset; every whole record is kept")
    func tornTailAtEveryOffset() async throws {
        let source = TemporaryDirectory("torn-source")
        defer { source.remove() }
        let written = try await Self.fill(source, count: 5)
        let segment = "00000001.seg"
        let original = try Data(contentsOf: URL(fileURLWithPath: source.file(segment)))
        // The last record's frame starts where the first four records end.
        let fourRecords = try await { () async throws -> Int in
            let d = TemporaryDirectory("torn-measure")
            defer { d.remove() }
            _ = try await Self.fill(d, count: 4)
            return d.size(segment)
        }()
        // Same payload lengths up to the fourth record, so the boundary is the same in both logs.
        #expect(fourRecords > 64 && fourRecords < original.count)
        for cut in fourRecords..<original.count {
            let dir = TemporaryDirectory("torn")
            defer { dir.remove() }
            try original.prefix(cut).write(to: URL(fileURLWithPath: dir.file(segment)))
            let store = try FileEventStore(directory: dir.path)
            #expect(store.recovery.tornBytesCut == cut - fourRecords, "cut at \(cut)")
            #expect(store.recovery.damage == nil)
            let read = try await Self.readAll(store)
            #expect(read.map(\.id) == written.prefix(4).map(\.id), "cut at \(cut)")
            // The log goes on: the next append takes position 5 and the chain verifies.
            let next = try await store.append([Self.event(99)], to: try StreamID("s-0"))
            #expect(next.positions == 5...5)
            #expect(await LogVerifier.verify(store).failure == nil)
            try await store.close()
        }
    }

    @Test("A torn tail of zeroes (pre-allocated, never written) is cut too")
    func zeroTail() async throws {
        let dir = TemporaryDirectory("zeros")
        defer { dir.remove() }
        _ = try await Self.fill(dir, count: 3)
        let handle = FileHandle(forWritingAtPath: dir.file("00000001.seg"))!
        handle.seekToEndOfFile()
        handle.write(Data(count: 4096))
        try handle.close()
        let store = try FileEventStore(directory: dir.path)
        #expect(store.recovery.tornBytesCut == 4096)
        #expect(try await store.headPosition() == 3)
        try await store.close()
    }

    @Test("A flipped byte in an earlier record is reported with its position, never returned")
    func flippedByteIsReported() async throws {
        for recordToDamage in [0, 2, 5] {
            let dir = TemporaryDirectory("flip")
            defer { dir.remove() }
            let written = try await Self.fill(dir, count: 9)
            // Find where the damaged record lies: frame = 8 bytes + body.
            var offset = 64
            for e in written.prefix(recordToDamage) { offset += 8 + e.canonicalBody(previousHash: .genesis).body.count }
            let segmentPath = dir.file("00000001.seg")
            var bytes = try Data(contentsOf: URL(fileURLWithPath: segmentPath))
            bytes[offset + 8 + 120] ^= 0x40  // inside the body
            try bytes.write(to: URL(fileURLWithPath: segmentPath))

            let store = try FileEventStore(directory: dir.path)
            let damage = try #require(store.recovery.damage)
            #expect(damage.code == .corruptRecord)
            #expect(damage.position == LogPosition(recordToDamage + 1))
            #expect(damage.location?.contains("00000001.seg offset \(offset)") == true, "\(damage)")
            // Reads return the whole records before it and then stop with the error, never the damaged data.
            var seen: [LogPosition] = []
            do {
                var next: LogPosition = 1
                while true {
                    let batch = try await store.read(from: next, filter: .all, maxCount: 100)
                    if batch.isEmpty { break }
                    seen += batch.events.map(\.position)
                    next = batch.nextPosition
                }
                Issue.record("reading past the damage did not fail")
            } catch let error as EventLogError {
                #expect(error.code == .corruptRecord)
                #expect(error.position == LogPosition(recordToDamage + 1))
            }
            #expect(seen == (0..<recordToDamage).map { LogPosition($0 + 1) })
            let report = await LogVerifier.verify(store)
            #expect(report.intactUpTo == LogPosition(recordToDamage))
            #expect(report.failure?.position == LogPosition(recordToDamage + 1))
            // Appends are refused rather than written after damage.
            await #expect(throws: EventLogError.self) { try await store.append([Self.event(1)], to: try StreamID("s-1")) }
            try await store.close()
        }
    }

    @Test("Damage in a sealed segment is reported by reads and verify with its position")
    func damageInSealedSegment() async throws {
        let dir = TemporaryDirectory("sealed-flip")
        defer { dir.remove() }
        let options = FileEventStore.Options(segmentSize: 64 << 10)
        let written = try await Self.fill(dir, count: 2000, options: options)
        #expect(dir.size("00000002.seg") > 0)
        let segmentPath = dir.file("00000001.seg")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segmentPath))
        var offset = 64
        for e in written.prefix(10) { offset += 8 + e.canonicalBody(previousHash: .genesis).body.count }
        bytes[offset + 8 + 100] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: segmentPath))
        let store = try FileEventStore(directory: dir.path, options: FileEventStore.Options(segmentSize: 64 << 10, readOnly: true))
        let report = await LogVerifier.verify(store)
        #expect(report.intactUpTo == 10)
        #expect(report.failure?.code == .corruptRecord)
        #expect(report.failure?.position == 11)
        #expect(report.failure?.location?.contains("00000001.seg offset \(offset)") == true)
        try await store.close()
    }

    @Test("A second writer gets a clear lock error; readers open alongside and follow new records")
    func oneWriterManyReaders() async throws {
        let dir = TemporaryDirectory("lock")
        defer { dir.remove() }
        let writer = try FileEventStore(directory: dir.path, options: .init(segmentSize: 64 << 10))
        #expect {
            _ = try FileEventStore(directory: dir.path)
        } throws: { ($0 as? EventLogError)?.code == .storeLocked }
        try await writer.append([Self.event(0)], to: try StreamID("s-0"))
        let reader = try FileEventStore.openReadOnly(directory: dir.path)
        #expect(try await reader.headPosition() == 1)
        await #expect(throws: EventLogError.self) { try await reader.append([Self.event(1)], to: try StreamID("s-0")) }
        // The reader picks up what the writer commits later, across segment rolls.
        for i in 1..<1500 { try await writer.append([Self.event(i)], to: try StreamID("s-\(i % 3)")) }
        let read = try await Self.readAll(reader)
        #expect(read.count == 1500)
        #expect(try await reader.readStream(try StreamID("s-1")).count == 500)
        try await reader.close()
        try await writer.close()
        // Once the writer is closed, another may open.
        let next = try FileEventStore(directory: dir.path)
        #expect(try await next.headPosition() == 1500)
        try await next.close()
    }

    @Test("Lost index files are rebuilt from their segments")
    func indexRebuild() async throws {
        let dir = TemporaryDirectory("index")
        defer { dir.remove() }
        let options = FileEventStore.Options(segmentSize: 64 << 10)
        let written = try await Self.fill(dir, count: 1500, options: options)
        let indexes = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".idx") }
        #expect(indexes.count >= 2)
        try FileManager.default.removeItem(atPath: dir.file(indexes.sorted()[0]))
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: dir.file(indexes.sorted()[1])))
        let store = try FileEventStore(directory: dir.path, options: options)
        #expect(store.recovery.indexesRebuilt == 2)
        #expect(try await store.readStream(try StreamID("s-2")).map(\.id) == written.filter { $0.stream.rawValue == "s-2" }.map(\.id))
        #expect(try await Self.readAll(store).map(\.id) == written.map(\.id))
        try await store.close()
    }

    @Test("Concurrent appends are group-committed: fewer syncs than appends, all durable")
    func groupCommit() async throws {
        let dir = TemporaryDirectory("group")
        defer { dir.remove() }
        let store = try FileEventStore(directory: dir.path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<16 {
                group.addTask {
                    for i in 0..<50 { try await store.append([Self.event(i)], to: try StreamID("g-\(w)")) }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.headPosition() == 800)
        let stats = store.statistics
        #expect(stats.records == 800)
        #expect(stats.requests == 800)
        #expect(stats.commits < stats.requests, "one sync served several appends: \(stats)")
        try await store.close()
        let reopened = try FileEventStore(directory: dir.path)
        #expect(try await Self.readAll(reopened).count == 800)
        try await reopened.close()
    }
}
