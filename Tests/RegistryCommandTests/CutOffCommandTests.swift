import Foundation
import Testing

/// `--as-of` and `--known-at` keep every microsecond: a record at exactly the instant given is in, one a
/// microsecond later is out.
@Suite("registry cut-off times")
struct CutOffCommandTests {
    @Test func aRecordAtExactlyTheInstantIsIncluded() throws {
        let dir = try SmallLog.imported()
        let export = try dir.registry("export", "--store", "store", "--stream", "person-" + SmallLog.a)
        #expect(export.status == 0, "\(export)")
        let first = try #require(export.lines.first)
        let recorded = try #require(first.firstMatch(of: /"recorded":"([^"]+)"/)?.output.1)
        #expect(recorded.count == 27, "microseconds: \(recorded)")
        func known(_ cutoff: String) throws -> String {
            let r = try dir.registry("coverage", "--store", "store", "--totals", "--format", "json", "--known-at", cutoff)
            #expect(r.status == 0, "\(r)")
            return String(r.stdout.firstMatch(of: /"known":([0-9]+)/)?.output.1 ?? "none")
        }
        // Position 1 (person A's registration) is the first record, recorded with the rest of its append: at that
        // instant they are known, a microsecond before nobody is (the view has no row).
        #expect(try known(String(recorded)) != "none")
        let micros = Int(recorded.dropFirst(20).prefix(6))!
        let before = micros == 0 ? nil : String(recorded.prefix(20)) + String(format: "%06d", micros - 1) + "Z"
        if let before { #expect(try known(before) == "none") }
        // The effective cut-off: A is registered on 2024-01-10, midnight China Standard Time.
        let asOf = { (t: String) throws -> String in
            let r = try dir.registry("coverage", "--store", "store", "--totals", "--format", "json", "--as-of", t)
            #expect(r.status == 0, "\(r)")
            return String(r.stdout.firstMatch(of: /"known":([0-9]+)/)?.output.1 ?? "none")
        }
        #expect(try asOf("2024-01-09T16:00:00.000000Z") == "1")
        #expect(try asOf("2024-01-10T00:00:00+08:00") == "1")
        #expect(try asOf("2024-01-09T15:59:59.999999Z") == "none")
        #expect(try asOf("2024-01-09") == "none")
        #expect(try asOf("2024-01-10") == "1")
    }
}
