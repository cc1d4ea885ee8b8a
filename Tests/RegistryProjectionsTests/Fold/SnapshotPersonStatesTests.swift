import FuzzSupport
import EventLog
import FileStore
import Foundation
import MemoryStore
import RegistryDomain
import RegistrySimulation
import Testing
@testable import RegistryProjections

/// An import that judges the persons a store holds from the views' fold (`SnapshotPersonStates`) instead of reading
/// their streams gives, line for line, the report of one that reads them: outcomes, positions and reasons.
@Suite struct SnapshotPersonStatesTests {
    /// A small generator (the split and the new ids depend on the seed only).
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        mutating func uuid() -> String {
            let a = next(), b = next()
            return String(format: "%08llX-%04llX-4%03llX-8%03llX-%012llX", a & 0xFFFF_FFFF, (a >> 32) & 0xFFFF, b & 0xFFF, (b >> 12) & 0xFFF, (b >> 24) & 0xFFFF_FFFF_FFFF)
        }
    }

    /// The export of a simulated city: registrations, findings, enrolments and their changes, survey tasks, marks,
    /// deaths, employers.
    static func exported() async throws -> [String] {
        let store = InMemoryEventStore()
        _ = try await CitySimulation(.init(persons: 300, seed: 41)).load(into: store)
        return try await JSONLinesExporter(store: store).lines()
    }

    /// A store holding part of the city (each line kept with probability `held`, imported with the rules), and the
    /// input: every line, about half of them under a new event id (the same facts sent again: judged on the
    /// persons' states), the rest as exported (already present where held).
    static func split(seed: UInt64, held: Double) async throws -> (held: [String], input: [String]) {
        var g = Generator(state: seed)
        var kept: [String] = []
        var input: [String] = []
        for line in try await exported() {
            if Double(g.next() % 1000) / 1000 < held { kept.append(line) }
            if g.next() % 2 == 0, let r = line.range(of: #""id":""#, options: .backwards) {
                let start = r.upperBound
                let end = line.index(start, offsetBy: 36)
                input.append(line.replacingCharacters(in: start..<end, with: g.uuid()))
            } else {
                input.append(line)
            }
        }
        return (kept, input)
    }

    static func outcomes(_ r: ImportReport) -> [String] {
        r.lines.map { line -> String in
            switch line.outcome {
            case .accepted(let p): "\(line.number) accepted \(p)"
            case .alreadyPresent(let p): "\(line.number) present \(p)"
            case .rejected(let code, let reason): "\(line.number) \(code) \(reason)"
            }
        } + ["ranges \(r.appendedRanges)"]
    }

    /// A fresh file store holding `held`.
    static func store(_ held: [String]) async throws -> (FileEventStore, String) {
        let path = NSTemporaryDirectory() + "fold-states-\(UUID().uuidString)"
        let store = try FileEventStore(directory: path)
        _ = try await JSONLinesImporter(store: store).importLines(held)
        return (store, path)
    }

    /// Saves the views' snapshot of `store` up to `position` (its head when nil) in its directory.
    @discardableResult
    static func saveSnapshot(of store: FileEventStore, upTo position: LogPosition? = nil) async throws -> String {
        let head = try await store.headPosition()
        let upTo = position ?? head
        var stamped = CutoffStamped(RegistryFold())
        while stamped.position < upTo {
            let batch = try await store.read(from: stamped.position + 1, filter: .all, maxCount: Int(upTo - stamped.position))
            try batch.withRecords { try stamped.apply($0) }
        }
        try FileManager.default.createDirectory(atPath: store.directory + "/views", withIntermediateDirectories: true)
        let path = store.directory + "/views/registry-residence.checkpoint"
        try CheckpointFile.save(stamped, anchor: try await CheckpointAnchor.of(store, at: stamped.position), to: path)
        return path
    }

    @Test("Into stores holding part of the input: the same report as reading every stream, and a re-import finds every line present",
          arguments: [(UInt64(1), 0.5, 1000), (2, 0.3, 64), (3, 0.8, 7), (4, 0.95, 1000)])
    func sameReport(seed: UInt64, held: Double, batchSize: Int) async throws {
        let (heldLines, input) = try await Self.split(seed: seed, held: held)
        let (plain, plainPath) = try await Self.store(heldLines)
        let (sourced, sourcedPath) = try await Self.store(heldLines)
        defer {
            try? FileManager.default.removeItem(atPath: plainPath)
            try? FileManager.default.removeItem(atPath: sourcedPath)
        }
        let counting = CountingStore(inner: sourced)
        // The snapshot a little behind the head (as after a small import), so that the source also catches up.
        let head = try await sourced.headPosition()
        let snapshot = try await Self.saveSnapshot(of: sourced, upTo: head - head / 50)
        let source = SnapshotPersonStates(store: counting, snapshots: [(snapshot, .standard)])
        var importer = JSONLinesImporter(store: counting, batchSize: batchSize)
        importer.personStates = source
        importer.personStatesAfter = 0
        let report = try await importer.importLines(input)
        let expected = try await JSONLinesImporter(store: plain, batchSize: batchSize).importLines(input)
        #expect(Self.outcomes(report) == Self.outcomes(expected))
        #expect(await source.isAnswering)
        // Persons judged from the fold were not read: fewer streams read than the held persons met.
        let heldStreams = Set(heldLines.compactMap { line in
            line.range(of: #""stream":""#).map { r in line[r.upperBound...].prefix { $0 != "\"" } }
        })
        #expect(counting.readStreams.count < heldStreams.count)
        #expect(report.acceptedCount > 0 && report.rejectedCount > 0 && report.alreadyPresentCount > 0)

        // Again, both ways: every line accepted before is present now, and the reports are equal.
        let again = try await importer.importLines(input)
        let againExpected = try await JSONLinesImporter(store: plain, batchSize: batchSize).importLines(input)
        #expect(Self.outcomes(again) == Self.outcomes(againExpected))
        let before = Dictionary(uniqueKeysWithValues: report.lines.map { ($0.number, $0.outcome) })
        for line in again.lines {
            switch before[line.number] {
            case .accepted(let p), .alreadyPresent(let p): #expect(line.outcome == .alreadyPresent(position: p), "line \(line.number)")
            default: break  // a line refused before may be taken now (after an earlier line of its stream was refused)
            }
        }
        #expect(again.alreadyPresentCount >= report.acceptedCount + report.alreadyPresentCount)
        try await plain.close()
        try await sourced.close()
    }

    @Test("A snapshot behind the log is caught up; one too far behind, damaged, another log's or none at all is not used, and the report is the same")
    func staleOrAbsentSnapshot() async throws {
        let (heldLines, input) = try await Self.split(seed: 9, held: 0.6)
        let older = Array(heldLines.prefix(heldLines.count / 2))
        let (plain, plainPath) = try await Self.store(heldLines)
        defer { try? FileManager.default.removeItem(atPath: plainPath) }
        let expected = Self.outcomes(try await JSONLinesImporter(store: plain).importLines(input))
        try await plain.close()

        for variant in ["behind", "current", "too far behind", "none", "another log", "damaged"] {
            let (store, path) = try await Self.store(heldLines)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let head = try await store.headPosition()
            var stampedPosition: LogPosition = 0
            if variant == "another log" {
                let other = try FileEventStore(directory: path + "-other")
                defer { try? FileManager.default.removeItem(atPath: path + "-other") }
                _ = try await JSONLinesImporter(store: other).importLines(older)
                stampedPosition = try await other.headPosition()
                try await Self.saveSnapshot(of: other)
                try await other.close()
                try FileManager.default.createDirectory(atPath: path + "/views", withIntermediateDirectories: true)
                try FileManager.default.moveItem(atPath: path + "-other/views/registry-residence.checkpoint", toPath: path + "/views/registry-residence.checkpoint")
            } else if variant != "none" {
                stampedPosition = variant == "current" || variant == "damaged" ? head : head / 2
                let file = try await Self.saveSnapshot(of: store, upTo: stampedPosition)
                if variant == "damaged" {  // one bit flipped: the CRC refuses the file
                    var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
                    bytes[bytes.count / 3] ^= 0x10
                    try bytes.write(to: URL(fileURLWithPath: file))
                }
            }
            let gap = Int(head - stampedPosition)
            let source = SnapshotPersonStates(store: store, snapshots: [(path + "/views/registry-residence.checkpoint", .standard)],
                                              maximumCatchUp: variant == "too far behind" ? gap - 1 : 1_000_000)
            var importer = JSONLinesImporter(store: store)
            importer.personStates = source
            importer.personStatesAfter = 0
            let report = try await importer.importLines(input)
            #expect(Self.outcomes(report) == expected, "\(variant)")
            let used = await source.isAnswering
            #expect(used == (variant == "behind" || variant == "current"), "\(variant)")
            try await store.close()
        }
    }
}

/// Forwards to a store and records which streams were read.
final class CountingStore<Inner: EventStore>: ForwardingEventStore, @unchecked Sendable {
    let inner: Inner
    private let lock = NSLock()
    private var read: Set<StreamID> = []
    var readStreams: Set<StreamID> { lock.withLock { read } }

    init(inner: Inner) { self.inner = inner }

    func readStream(_ stream: StreamID, from version: StreamVersion, direction: ReadDirection, maxCount: Int) async throws -> [RecordedEvent] {
        _ = lock.withLock { read.insert(stream) }
        return try await inner.readStream(stream, from: version, direction: direction, maxCount: maxCount)
    }
    func streamVersions(_ streams: [StreamID]) async throws -> [StreamVersion?] { try await inner.streamVersions(streams) }
    func holdsEvents(_ ids: [UUID], on streams: [StreamID]) async throws -> [Bool] { try await inner.holdsEvents(ids, on: streams) }
    var checksChainOnRead: Bool { inner.checksChainOnRead }
}
