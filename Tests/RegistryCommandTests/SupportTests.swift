import EventLog
import Testing
@testable import registry

/// The command's helpers, tested in process.
@Suite("registry helpers")
struct SupportTests {
    @Test("The import report names exactly its own position ranges, at most five, then how many more")
    func importPositions() {
        #expect(ImportCommand.renderPositions([]) == "")
        #expect(ImportCommand.renderPositions([1...1000, 2001...3000]) == "Appended at positions 1...1000, 2001...3000\n")
        var many: [ClosedRange<LogPosition>] = []
        for i in 0..<7 {
            let first = LogPosition(i * 10 + 1)
            many.append(first...(first + 4))
        }
        #expect(ImportCommand.renderPositions(many)
                == "Appended at positions 1...5, 11...15, 21...25, 31...35, 41...45, and 2 more ranges\n")
    }

    @Test func storeLocations() {
        #expect(StoreLocation("./registry-data") == .directory("./registry-data"))
        #expect(StoreLocation("postgres://h/db") == .postgres("postgres://h/db"))
        #expect(StoreLocation("PostgreSQL://h/db") == .postgres("PostgreSQL://h/db"))
        #expect(StoreLocation("postgresql://ops:pw@db.example:5432/registry?sslmode=require").description
                == "postgresql://ops:***@db.example:5432/registry")
        #expect(StoreLocation("postgresql://db.example/registry").description == "postgresql://db.example/registry")
    }

    @Test func datesMeanTheWholeDayInChinaStandardTime() {
        // 2024-06-30 23:59:59.999999 +08:00 is 2024-06-30T15:59:59.999999Z.
        #expect(ProjectionOptions.instant("2024-06-30")?.description == "2024-06-30T15:59:59.999999Z")
        #expect(ProjectionOptions.instant("2024-06-30T08:00:00Z")?.description == "2024-06-30T08:00:00.000000Z")
        #expect(ProjectionOptions.instant("2024-06-30T08:00:00+08:00")?.description == "2024-06-30T00:00:00.000000Z")
        #expect(ProjectionOptions.instant("2024-02-30") == nil)
        #expect(ProjectionOptions.instant("2024-02-30T08:00:00Z") == nil)
        #expect(ProjectionOptions.instant("June") == nil)
    }

    @Test func localTimes() {
        #expect(LocalTime.text(Timestamp(iso8601: "2024-01-31T16:00:00Z")!) == "2024-02-01 00:00:00")
        #expect(LocalTime.text(Timestamp(microsecondsSinceEpoch: 0)) == "1970-01-01 08:00:00")
        #expect(LocalTime.text(Timestamp(microsecondsSinceEpoch: -9 * 3_600_000_000)) == "1969-12-31 23:00:00")
        #expect(LocalTime.count(1, "fact") == "1 fact")
        #expect(LocalTime.count(3, "fact") == "3 facts")
    }

    @Test func groupedNumbers() {
        #expect(TerminalProgress.grouped(0) == "0")
        #expect(TerminalProgress.grouped(999) == "999")
        #expect(TerminalProgress.grouped(1000) == "1,000")
        #expect(TerminalProgress.grouped(24_101) == "24,101")
        #expect(TerminalProgress.grouped(1_234_567) == "1,234,567")
    }

    @Test func demoStoreFiles() {
        for name in ["00000001.seg", "00000012.idx", "LOCK", "REGISTRY-DEMO", "checkpoint.tmp"] {
            #expect(DemoStoreDirectory.isDemoFile(name), "\(name)")
        }
        for name in ["notes.txt", "1.seg", "0000000a.seg", "00000001.seg.bak", "registry.db"] {
            #expect(!DemoStoreDirectory.isDemoFile(name), "\(name)")
        }
    }

    @Test func failuresAreOneLine() {
        let failure = CommandFailure("it broke\n\tbadly", at: "here", fix: "do this")
        #expect(failure.description == "it broke badly (here); do this")
        let locked = CommandFailure(describing: EventLogError(.storeLocked, "locked"), store: .directory("data"))
        #expect(locked.description == "the store is in use by another writing process (data); wait for it to finish or stop it (read-only views can run alongside it)")
    }

    /// `--as-of` and `--known-at` are read by the one ISO 8601 reader: microseconds kept (a record at exactly the
    /// instant is included), nothing after the time, real offsets only, no leap second; a date is the whole day
    /// in China Standard Time.
    @Test func cutOffTimes() {
        #expect(ProjectionOptions.instant("2024-03-01T08:00:00.123456Z")?.microsecondsSinceEpoch == 1_709_280_000_123_456)
        #expect(ProjectionOptions.instant("2024-03-01T16:00:00.5+08:00")?.microsecondsSinceEpoch == 1_709_280_000_500_000)
        #expect(ProjectionOptions.instant("2024-03-01")?.microsecondsSinceEpoch == 1_709_308_799_999_999)
        for bad in ["2024-03-01T08:00:00Zjunk", "2024-03-01T08:00:00Z ", "2024-03-01T08:00:00+99:99", "2024-03-01T08:00:00+24:00",
                    "2024-03-01T08:00:00+08:60", "2024-03-01T23:59:60Z", "2024-03-01T08:00:00.1234567Z", "2024-03-01T08:00:00",
                    "2024-02-30", "2024-03-01 08:00:00Z", "June"] {
            #expect(ProjectionOptions.instant(bad) == nil, "\(bad)")
        }
        #expect(ReplayCutoffCheck.includes(ProjectionOptions.instant("2024-03-01T08:00:00.000001Z")!, recordAt: 1_709_280_000_000_001))
    }
}

/// Usage errors: one line, quoting no value from the command line.
@Suite("registry usage lines")
struct UsageLineTests {
    @Test func oneLineWithoutCommandLineValues() {
        let message = """
            Error: The value '13812345678' is invalid for '--level <level>'. Please provide one of 'province', 'city'.
            Help:  --level <level>  Areas.
            Usage: registry coverage [--level <level>]
            """
        #expect(UsageLine(message)?.text
            == "The value '…' is invalid for '--level <level>'. Please provide one of 'province', 'city'. (see --help)")
        #expect(UsageLine("Error: Unexpected argument '张三'")?.text == "Unexpected argument '…' (see --help)")
        #expect(UsageLine("Error: Unknown option '--120101198503170024'")?.text == "Unknown option '…' (see --help)")
        #expect(UsageLine("Error: Missing expected argument '<FILE>'")?.text == "Missing expected argument '<FILE>' (see --help)")
        #expect(UsageLine("Error: unterminated 'quote")?.text == "unterminated '… (see --help)")
        #expect(UsageLine("") == nil)
        #expect(UsageLine("Error: the ID 120101198503170024 is bad")?.text == "the ID 1201**********0024 is bad (see --help)")
    }
}

/// A record's effective time against a cut-off, as the projections compare them.
enum ReplayCutoffCheck {
    static func includes(_ cutoff: Timestamp, recordAt micros: Int64) -> Bool {
        !(Timestamp(microsecondsSinceEpoch: micros) > cutoff)
    }
}
