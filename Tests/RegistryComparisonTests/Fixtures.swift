import EventLog
import Foundation
import MemoryStore
import RegistryComparison
import RegistryDomain

/// Test data: valid ID numbers and credit codes, feed files in a temporary directory, and a store's events.
enum Fixtures {
    /// A valid 18-character ID number: area, birth date (yyyymmdd), 3-digit sequence.
    static func id(_ sequence: Int, born: String = "19850317", area: String = "120101") -> String {
        let leading = area + born + String(format: "%03d", sequence)
        return leading + String(CitizenID.checkCharacter(forLeading: leading)!)
    }

    /// A valid credit code with a given 9-character organisation part.
    static func creditCode(_ n: Int, division: String = "120101") -> String {
        let leading = "91" + division + String(format: "MA%07d", n)
        return leading + String(CreditCode.checkCharacter(forLeading: leading)!)
    }

    /// The feed date used by most tests.
    static let date = CalendarDate(year: 2024, month: 3, day: 1)!

    /// Every person event in a store, decoded, in log order.
    static func events<S: EventStore>(_ store: S) async throws -> [(RecordedEvent, RegistryEvent)] {
        var out: [(RecordedEvent, RegistryEvent)] = []
        for try await batch in store.readAll() {
            for e in batch.events { out.append((e, try RegistryEvent.decode(e))) }
        }
        return out
    }

    /// The observations in a store: (stream, department, finding).
    static func observations<S: EventStore>(_ store: S) async throws -> [(String, Department, SourceFinding)] {
        try await events(store).compactMap { e, r in
            if case .sourceObservationRecorded(let o) = r { return (e.stream.rawValue, o.department, o.finding) }
            return nil
        }
    }
}

/// A temporary directory removed when the test ends.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("registry-comparison-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes a UTF-8 file; returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    /// Writes bytes; returns the path.
    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file.path
    }

    /// A path in the directory.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

extension ComparisonSession {
    /// Compares a feed written as text.
    mutating func compare(_ kind: FeedKind, _ csv: String, in dir: TemporaryDirectory, name: String? = nil, date: CalendarDate = Fixtures.date) async throws -> ComparisonReport {
        let file = name ?? "\(kind.rawValue)-\(date).csv"
        let path = try dir.write(file, csv)
        return try await compare(file: path, feed: FeedDescription(kind: kind, name: file, date: date))
    }
}
