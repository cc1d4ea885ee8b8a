import EventLog
import Foundation
import FuzzSupport
import MemoryStore
import RegistryComparison
import RegistryDomain
import RegistrySimulation
import Testing

/// The CSV feed parser fuzzed: the synthetic city's feeds of every kind (``CityFeeds``), their rows mutated with the
/// seeded ``Mutator`` (bytes, quotes, separators, line breaks, parser tokens, splices), now and then the header or the
/// whole file, compared into an in-memory store a few dozen rows at a time.
///
/// Oracles, for every file: no crash and no hang (each file in bounded time), bounded memory; the comparison either
/// refuses the whole file with a ``ComparisonError`` and appends nothing, or reports every row it read (rows read =
/// unchanged + changed + new persons + new employers + rejected); a rejected row appends nothing (no event carries
/// its line); and every event recorded from a row comes from a row a strict RFC 4180 reader (a second, independent
/// parser written here) reads at that line, whose fields name the event's person or employer. Long run:
/// `scripts/torture fuzz` (a million rows).
@Suite("Feed parser fuzz: mutated department CSV feeds", .serialized)
struct FeedParserFuzzTests {
    /// A feed kind's seed material: its header and rows, and its date.
    struct Corpus {
        var kind: FeedKind
        var header: [UInt8]
        var rows: [[UInt8]]
        var date: CalendarDate
    }

    struct Figures: CustomStringConvertible {
        var rows = 0, files = 0, refusedFiles = 0, rowsRead = 0, rejected = 0, recorded = 0, events = 0, compared = 0
        var seconds = 0.0, slowest = 0.0, growthMB = 0.0
        var refusals: [String: Int] = [:]
        var description: String {
            "\(rows) rows in \(files) files (\(refusedFiles) refused whole: \(refusals.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))), \(rowsRead) rows read, \(rejected) rejected, \(recorded) recorded as \(events) events (\(compared) checked against the strict reader), slowest file \(String(format: "%.2f", slowest)) s, memory growth \(String(format: "%.0f", growthMB)) MB, \(String(format: "%.1f", seconds)) s"
        }
    }

    /// The city's feeds of the first two rounds, by kind.
    static func corpus(in dir: TemporaryDirectory) throws -> [Corpus] {
        let feeds = try CityFeeds(CitySimulation.Parameters(persons: 200, seed: 11)).write(into: dir.url.appendingPathComponent("seeds").path)
        var byKind: [FeedKind: Corpus] = [:]
        for feed in feeds {
            guard let kind = FeedKind(name: feed.kind) else { continue }
            let bytes = [UInt8](try Data(contentsOf: dir.url.appendingPathComponent("seeds/\(feed.fileName)")))
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: true).map(Array.init)
            guard let header = lines.first else { continue }
            byKind[kind, default: Corpus(kind: kind, header: header, rows: [], date: CityFeeds.roundDates.last!)].rows += lines.dropFirst()
        }
        // The employers (the city registers them outside its feed rounds): a market-regulation extract made here.
        byKind[.marketRegulation] = Corpus(
            kind: .marketRegulation, header: Array("credit_code,name,division,labour_dispatch".utf8),
            rows: (1...40).map { n in Array("\(Fixtures.creditCode(n)),企业\(n)有限公司,120101,\(n % 5 == 0 ? "是" : "no")".utf8) },
            date: CityFeeds.roundDates.last!)
        // Kinds with too few rows in a small city: rows made from the population's ID numbers.
        let ids = byKind[.policePopulation]!.rows.prefix(40).map { $0.prefix { $0 != 0x2C } }
        for (kind, header, tail) in [(FeedKind.civilAffairsDeaths, "id_number,death_date", ",2024-02-03"), (.prison, "id_number,admitted_on", ",2023-11-20")]
        where (byKind[kind]?.rows.count ?? 0) < 10 {
            byKind[kind] = Corpus(kind: kind, header: Array(header.utf8), rows: ids.map { Array($0) + Array(tail.utf8) }, date: CityFeeds.roundDates.last!)
        }
        return byKind.values.filter { !$0.rows.isEmpty }.sorted { $0.kind.rawValue < $1.kind.rawValue }
    }

    /// The resident set size, in MB.
    static func residentMB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8), let pages = text.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    static func run(rows size: Int, seed: UInt64) async throws -> Figures {
        let started = Date()
        let dir = try TemporaryDirectory()
        let corpus = try corpus(in: dir)
        #expect(corpus.count == FeedKind.allCases.count, "every feed kind has seed rows: \(corpus.map(\.kind))")
        let population = corpus.first { $0.kind == .policePopulation }!
        let employers = corpus.first { $0.kind == .marketRegulation }!
        var random = Mutator(seed: seed)
        var figures = Figures()
        var options = ComparisonOptions()
        options.rejectionsKept = Int.max
        options.countsSurveyTargets = false
        options.batchRows = 16
        var store = InMemoryEventStore()
        var session = ComparisonSession(store: store, options: options)
        var baseline = 0.0

        while figures.rows < size {
            // A fresh registry now and then, with the city's persons and employers registered from good feeds, so
            // that rows of the other kinds match registered persons.
            if figures.files % 40 == 0 {
                store = InMemoryEventStore()
                session = ComparisonSession(store: store, options: options)
                for good in [population, employers] {
                    let path = dir.url.appendingPathComponent("good-\(good.kind.rawValue).csv").path
                    try Data((([good.header] + good.rows).joined(separator: [0x0A]) + [0x0A])).write(to: URL(fileURLWithPath: path))
                    let report = try await session.compare(file: path, feed: FeedDescription(kind: good.kind, name: "good-\(good.kind.rawValue).csv", date: good.date))
                    #expect(report.rejected == 0, "the seed feed \(good.kind) is clean: \(report.rejectionsByCodeText)")
                }
            }
            let seedFeed = corpus.randomElement(using: &random)!
            let count = min(size - figures.rows, Int.random(in: 1...60, using: &random))
            var header = seedFeed.header
            if Int.random(in: 0..<40, using: &random) == 0 { header = random.mutate(header, rounds: 2) }
            let rawBytes = Int.random(in: 0..<8, using: &random) == 0
            var bytes = header + [0x0A]
            for _ in 0..<count {
                let row = seedFeed.rows.randomElement(using: &random)!
                if Int.random(in: 0..<5, using: &random) < 2 {
                    bytes += row
                } else {
                    let mutated = random.mutate(row, other: seedFeed.rows.randomElement(using: &random)!, rounds: 3)
                    // Most files stay UTF-8 (an invalid byte refuses the whole file, as bad-encoding): the invalid
                    // bytes of a mutation become U+FFFD in seven files of eight.
                    bytes += rawBytes ? mutated : Array(String(decoding: mutated, as: UTF8.self).utf8)
                }
                bytes.append([0x0A, 0x0A, 0x0D, 0x0A][Int.random(in: 0..<4, using: &random) == 0 ? Int.random(in: 1...3, using: &random) : 0])
                if bytes.last == 0x0D { bytes.append(0x0A) }
            }
            if Int.random(in: 0..<25, using: &random) == 0 { bytes = random.mutate(bytes, rounds: 6) }
            figures.rows += count
            figures.files += 1
            let name = "fuzz-\(figures.files).csv"
            let path = dir.url.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))

            let headBefore = try await store.headPosition()
            let t0 = Date()
            let report: ComparisonReport
            do {
                report = try await session.compare(file: path, feed: FeedDescription(kind: seedFeed.kind, name: name, date: seedFeed.date))
            } catch let refusal as ComparisonError {
                // Refused whole: the file is under one chunk, so nothing was appended before the refusal.
                figures.refusedFiles += 1
                figures.refusals[refusal.code.rawValue, default: 0] += 1
                let head = try await store.headPosition()
                #expect(head == headBefore, "file \(figures.files) (seed \(seed)): refused (\(refusal.code)) but \(head - headBefore) events were appended")
                unlink(path)
                continue
            } catch {
                Issue.record("file \(figures.files) (seed \(seed)): an untyped error: \(error)")
                unlink(path)
                continue
            }
            let elapsed = Date().timeIntervalSince(t0)
            figures.slowest = max(figures.slowest, elapsed)
            #expect(elapsed < 30, "file \(figures.files) (seed \(seed)): \(elapsed) s")
            figures.rowsRead += report.rowsRead
            figures.rejected += report.rejected
            #expect(report.rejections.count == report.rejected)
            #expect(report.rowsRead == report.unchanged + report.changed + report.newPersons + report.newEmployers + report.rejected,
                    "file \(figures.files) (seed \(seed)): rows not all accounted for: \(report.rowsRead) read, \(report.unchanged) unchanged, \(report.changed) changed, \(report.newPersons) new persons, \(report.newEmployers) new employers, \(report.rejected) rejected")

            // The events this file appended, by the line they came from.
            var byLine: [Int: [RecordedEvent]] = [:]
            var appended = 0
            for try await batch in store.readAll(from: headBefore + 1) {
                for event in batch.events {
                    appended += 1
                    #expect(event.metadata.headers["feed"] == name)
                    if let line = event.metadata.headers["line"].flatMap({ Int($0) }) { byLine[line, default: []].append(event) }
                }
            }
            figures.events += appended
            #expect(appended == report.eventsAppended, "file \(figures.files) (seed \(seed)): \(appended) events in the store, \(report.eventsAppended) reported")
            let rejectedLines = Set(report.rejections.map(\.line))
            let wrongly = rejectedLines.intersection(byLine.keys)
            #expect(wrongly.isEmpty, "file \(figures.files) (seed \(seed)): rejected lines \(wrongly.sorted()) appended events")
            figures.recorded += byLine.count

            // Each row recorded is a row a strict reader finds at its line, naming the event's person or employer.
            if !byLine.isEmpty, String(validating: bytes, as: UTF8.self) != nil {
                let (strict, failure) = StrictCSV.parse(bytes)
                let headerCount = strict.first?.fields.count ?? 0
                for (line, events) in byLine.sorted(by: { $0.key < $1.key }) {
                    figures.compared += 1
                    guard let record = strict.first(where: { $0.line == line }) else {
                        Issue.record("file \(figures.files) (seed \(seed)): line \(line) was recorded, but a strict RFC 4180 reader finds no row there (\(failure.map { "it stops at line \($0.line): \($0.reason)" } ?? "")); first lines: \(String(decoding: bytes.prefix(600), as: UTF8.self).debugDescription)")
                        continue
                    }
                    #expect(record.fields.count == headerCount, "file \(figures.files) (seed \(seed)): line \(line) recorded with \(record.fields.count) fields, the header has \(headerCount)")
                    for event in events {
                        let key = event.stream.rawValue.split(separator: "-", maxSplits: 1).last.map(String.init) ?? ""
                        let named = record.fields.contains { field in
                            let f = field.trimmingCharacters(in: .whitespaces).uppercased()
                            return f == key || (f.count == 15 && key.count == 18 && f == String(key.prefix(6)) + String(key.dropFirst(8).prefix(9)))
                        }
                        #expect(named, "file \(figures.files) (seed \(seed)): line \(line)'s event is for a stream its fields do not name")
                    }
                }
            }
            unlink(path)
            if figures.files == 200 { baseline = Self.residentMB() }
        }
        if baseline > 0 { figures.growthMB = Self.residentMB() - baseline }
        #expect(figures.growthMB < 300, "memory grew by \(figures.growthMB) MB")
        figures.seconds = Date().timeIntervalSince(started)
        return figures
    }

    @Test("mutated feeds: typed refusals, every row accounted for, rejected rows append nothing, recorded rows read strictly")
    func mutatedFeeds() async throws {
        let size = Mutator.size(default: 20_000)
        let figures = try await Self.run(rows: size, seed: Mutator.seed)
        #expect(figures.rows == size)
        #expect(figures.recorded > 0 && figures.rejected > 0)
        print("fuzz feed parser: \(figures), seed \(Mutator.seed)")
    }
}

extension ComparisonReport {
    var rejectionsByCodeText: String { rejectedByCode.map { "\($0.key) \($0.value)" }.sorted().joined(separator: ", ") }
}

/// A strict RFC 4180 reader, the fuzz's second opinion: a quote opens a field only at its start, a quote inside a
/// quoted field is doubled or ends it before a comma or a line break; a quote inside an unquoted field is a character
/// (the one leniency the feeds allow, as spreadsheet programs read it). Records
/// end at LF, CRLF or a lone CR; line numbers count the records' lines as ``FeedReader`` does (one per record, plus
/// the line feeds inside its fields).
enum StrictCSV {
    struct Record {
        var line: Int
        var fields: [String]
    }

    struct Failure: Error {
        var line: Int
        var reason: String
    }

    /// The records read before the first departure from RFC 4180, and that departure (nil when there is none).
    /// The record the departure is in is not among the records.
    static func parse(_ input: [UInt8]) -> ([Record], Failure?) {
        var bytes = input[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        var records: [Record] = []
        var line = 1
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            var fields: [String] = []
            var breaks = 0
            var field: [UInt8] = []
            var recordDone = false
            while !recordDone {
                field.removeAll(keepingCapacity: true)
                if i < end, bytes[i] == 0x22 {
                    i += 1
                    var closed = false
                    while i < end {
                        let c = bytes[i]
                        if c == 0x22 {
                            if i + 1 < end, bytes[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                            i += 1
                            closed = true
                            break
                        }
                        if c == 0x0A { breaks += 1 }
                        field.append(c)
                        i += 1
                    }
                    guard closed else { return (records, Failure(line: line, reason: "a quote not closed")) }
                    if i < end, ![0x2C, 0x0A, 0x0D].contains(bytes[i]) {
                        return (records, Failure(line: line, reason: "text after a closing quote"))
                    }
                } else {
                    while i < end, ![0x2C, 0x0A, 0x0D].contains(bytes[i]) {
                        field.append(bytes[i])
                        i += 1
                    }
                }
                fields.append(String(decoding: field, as: UTF8.self))
                if i >= end {
                    recordDone = true
                } else if bytes[i] == 0x2C {
                    i += 1
                } else {
                    if bytes[i] == 0x0D, i + 1 < end, bytes[i + 1] == 0x0A { i += 1 }
                    i += 1
                    recordDone = true
                }
            }
            records.append(Record(line: line, fields: fields))
            line += 1 + breaks
        }
        return (records, nil)
    }
}
