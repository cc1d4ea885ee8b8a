import EventLog
import FileStore
import Foundation
import RegistryComparison
import RegistryDomain

/// The comparison benchmark: a registry of N persons built from a police population feed, then a tax feed of M
/// rows compared against it: the first time (everything new), again (nothing new), and a month later (a few
/// percent changed).
struct ComparisonBenchmark {
    /// Where the store and the feeds go (replaced unless reused).
    let directory: String
    /// Persons in the registry.
    let persons: Int
    /// Rows in the tax feed.
    let rows: Int

    static let counties = ["120101", "120102", "120103", "120104", "120105", "120106", "120110", "120111",
                           "120112", "120113", "120114", "120115", "120116", "120117", "120118", "120119"]

    /// The i-th person's ID number (valid, unique for i below 16 × 20,000 × 1,000).
    static func id(_ i: Int) -> String {
        let county = counties[i % 16]
        let day = (i / 16) % 20_000
        let born = CalendarDate(daysSinceEpoch: Int64(-7_305 + day))  // from 1950-01-01
        let sequence = (i / (16 * 20_000)) % 1000
        let leading = county + born.compact + String(format: "%03d", sequence)
        return leading + String(CitizenID.checkCharacter(forLeading: leading)!)
    }

    /// The k-th employer's credit code.
    static func employer(_ k: Int) -> String {
        let leading = "91" + counties[k % 16] + String(format: "MA%07d", k)
        return leading + String(CreditCode.checkCharacter(forLeading: leading)!)
    }

    var storePath: String { directory + "/store" }

    /// Writes a CSV file from generated lines, in 4 MiB chunks.
    func write(_ name: String, header: String, count: Int, line: (Int) -> String?) throws -> String {
        let path = directory + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        var buffer = Array((header + "\n").utf8)
        buffer.reserveCapacity(1 << 22)
        for i in 0..<count {
            guard let l = line(i) else { continue }
            buffer.append(contentsOf: l.utf8)
            buffer.append(0x0A)
            if buffer.count >= 1 << 22 { try handle.write(contentsOf: buffer); buffer.removeAll(keepingCapacity: true) }
        }
        try handle.write(contentsOf: buffer)
        try handle.close()
        return path
    }

    /// The population feed of every person.
    func populationFeed() throws -> String {
        try write("police-2024-01-01.csv", header: "id_number,name,ethnicity,hukou_type,hukou_division,hukou_address,residence_division,residence_address,phone", count: persons) { i in
            let county = Self.counties[i % 16]
            let community = county + String(format: "%03d%03d", 1 + i % 9, 1 + (i / 9) % 20)
            return "\(Self.id(i)),人\(i % 1000),汉族,非农业,\(county),天津市\(county)路\(i % 500)号,\(community),天津市\(community)楼\(i % 300)号,138\(String(format: "%08d", i))"
        }
    }

    /// A tax feed: `rows` persons spread over the registry, 60% with an employer; `month` shifts 2% of the
    /// employers and leaves 1% of the persons out.
    func taxFeed(month: Int) throws -> String {
        try write("tax-2024-0\(month + 2)-01.csv", header: "id_number,employer_credit_code", count: rows) { r in
            if month > 0, r % 100 == 7 { return nil }
            let i = (r &* 7_919) % persons
            let shift = month > 0 && r % 50 == 1 ? 1 : 0
            return r % 5 < 3 ? "\(Self.id(i)),\(Self.employer((i + shift) % 5_000))" : "\(Self.id(i)),"
        }
    }

    /// One comparison on the file store, timed, with the process's peak memory during it.
    func compare(_ path: String, kind: FeedKind, date: CalendarDate, targets: Bool) async throws -> (report: ComparisonReport, seconds: Double, peak: Int, cpu: Double, open: Double) {
        Measure.resetPeak()
        let (store, open) = try await Measure.seconds { try FileEventStore(directory: storePath) }
        let cpu0 = Measure.cpuSeconds
        var options = ComparisonOptions()
        options.countsSurveyTargets = targets
        var session = ComparisonSession(store: store, options: options)
        let (report, seconds) = try await Measure.seconds {
            try await session.compare(file: path, feed: FeedDescription(kind: kind, name: (path as NSString).lastPathComponent, date: date))
        }
        let cpu = Measure.cpuSeconds - cpu0
        try await store.close()
        return (report, seconds, Measure.peakResidentBytes, cpu, open)
    }

    /// The whole benchmark; prints a line per measurement.
    func run(reuse: Bool, targets: Bool) async throws {
        if !reuse {
            try? FileManager.default.removeItem(atPath: directory)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let (population, written) = try await Measure.seconds { try populationFeed() }
            say("compare  wrote the population feed (\(persons) rows) in \(String(format: "%.1f", written)) s")
            let load = try await compare(population, kind: .policePopulation, date: CalendarDate(year: 2024, month: 1, day: 1)!, targets: false)
            say("compare  population feed \(persons) rows -> \(load.report.eventsAppended) facts in \(String(format: "%.2f", load.seconds)) s (cpu \(String(format: "%.2f", load.cpu)) s)  \(Measure.rate(persons, load.seconds))  peak \(Measure.mib(load.peak))")
        }
        let (feed, written) = try await Measure.seconds { try taxFeed(month: 0) }
        say("compare  wrote the tax feed (\(rows) rows) in \(String(format: "%.1f", written)) s")
        let date = CalendarDate(year: 2024, month: 2, day: 1)!
        for (label, path, day) in [("first run", feed, date), ("re-run   ", feed, date)] {
            let r = try await compare(path, kind: .tax, date: day, targets: targets)
            say("compare  tax \(label) \(r.report.rowsRead) rows vs \(r.report.headPosition) events: \(r.report.eventsAppended) facts appended, \(r.report.unchanged) unchanged, in \(String(format: "%.2f", r.seconds)) s (cpu \(String(format: "%.2f", r.cpu)) s; store opened in \(String(format: "%.2f", r.open)) s before)  \(Measure.rate(r.report.rowsRead, r.seconds))  peak \(Measure.mib(r.peak))")
        }
        let next = try taxFeed(month: 1)
        let r = try await compare(next, kind: .tax, date: CalendarDate(year: 2024, month: 3, day: 1)!, targets: targets)
        say("compare  tax next month \(r.report.rowsRead) rows: \(r.report.eventsAppended) facts appended (\(r.report.changed) changed, \(r.report.ended) ended), in \(String(format: "%.2f", r.seconds)) s (cpu \(String(format: "%.2f", r.cpu)) s; store opened in \(String(format: "%.2f", r.open)) s before)  \(Measure.rate(r.report.rowsRead, r.seconds))  peak \(Measure.mib(r.peak))")
    }
}
