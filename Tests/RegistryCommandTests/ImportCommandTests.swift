import Foundation
import Testing
@testable import registry

@Suite("registry import")
struct ImportCommandTests {
    static let rejectedReport = [
        "Rejected lines:",
        "  line 7: malformed-json: the line: the text ends inside an object (byte 16)",
        "  line 8: not-registered: PersonEnrolled: the person is not registered",
        "  line 9: invalid-citizen-id: data.citizenID: invalid-check-character: the check character (character 18) does not match",
        "  line 14: already-enrolled: PersonEnrolled: an enrolment in employeePension is already active [stream person-1201**********0024]",
    ]

    @Test func reportsEveryAcceptedAndRejectedLine() throws {
        let dir = try TemporaryDirectory()
        try dir.write("small.jsonl", SmallLog.text)
        let result = try dir.registry("import", "--store", "store", "small.jsonl")
        #expect(result.status == 65, "rejected lines make the exit status EX_DATAERR")
        #expect(result.lines == [
            "Imported small.jsonl: 9 accepted, 0 already present, 4 rejected",
            "Appended at positions 1...9",
        ] + Self.rejectedReport)
        #expect(result.stderr == "registry: created a new store at store\n" + Self.rejectedLine("4 of 13 lines", "small.jsonl"),
                "no progress bar when standard error is not a terminal; one line for the rejected lines")
    }

    /// The line every command that takes input rows ends with when some were rejected (`compare` too).
    static func rejectedLine(_ counts: String, _ sources: String) -> String {
        "registry: error: \(counts) rejected (\(sources)); the report lists them; correct them and run again (what was accepted is recorded, and a re-run records it only once)\n"
    }

    @Test func reImportFindsEveryGoodLineAlreadyPresent() throws {
        let dir = try SmallLog.imported()
        let result = try dir.registry("import", "--store", "store", "small.jsonl")
        #expect(result.lines == ["Imported small.jsonl: 0 accepted, 9 already present, 4 rejected"] + Self.rejectedReport)
        #expect(result.status == 65 && result.stderr == Self.rejectedLine("4 of 13 lines", "small.jsonl"), "\(result)")
        let json = try dir.registry("import", "--store", "store", "--format", "json", "small.jsonl")
        #expect(json.status == 65 && json.stderr == Self.rejectedLine("4 of 13 lines", "small.jsonl"), "\(json)")
    }

    @Test func readsStandardInput() throws {
        let dir = try TemporaryDirectory()
        let good = SmallLog.text.split(separator: "\n").prefix(6).joined(separator: "\n")
        let result = try dir.registry("import", "--store", "store", "-", input: good)
        #expect(result.status == 0)
        #expect(result.lines == ["Imported standard input: 6 accepted, 0 already present, 0 rejected", "Appended at positions 1...6"])
    }

    @Test("a store named by one character (or under one) is created and imported into, not a crash")
    func oneCharacterStoreName() throws {
        let dir = try TemporaryDirectory()
        let good = SmallLog.text.split(separator: "\n").prefix(6).joined(separator: "\n")
        for store in ["s", "t/u", "./v"] {
            let result = try dir.registry("import", "--store", store, "-", input: good)
            #expect(result.status == 0 && result.lines.first == "Imported standard input: 6 accepted, 0 already present, 0 rejected", "\(store): \(result)")
        }
        #expect(StoreOptions.parentDirectory(of: "s") == "." && StoreOptions.parentDirectory(of: "/s") == "/")
        #expect(StoreOptions.parentDirectory(of: "a/b/") == "a" && StoreOptions.parentDirectory(of: "a/b") == "a")
    }

    @Test func limitsTheRejectedLinesListed() throws {
        let dir = try TemporaryDirectory()
        try dir.write("small.jsonl", SmallLog.text)
        let result = try dir.registry("import", "--store", "store", "--show-rejected", "1", "small.jsonl")
        #expect(result.lines.suffix(2) == ["  line 7: malformed-json: the line: the text ends inside an object (byte 16)", "  … and 3 more (--show-rejected 0 lists them all)"])
    }

    @Test func missingFileIsOneLineError() throws {
        let dir = try TemporaryDirectory()
        let result = try dir.registry("import", "--store", "store", "nothing.jsonl")
        #expect(result.status == 66, "EX_NOINPUT")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "registry: created a new store at store\nregistry: error: cannot open the input file: No such file or directory (nothing.jsonl); check the path, or give - to read standard input\n")
    }
}
