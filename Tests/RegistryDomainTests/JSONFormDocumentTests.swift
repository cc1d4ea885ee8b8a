import Testing
import Foundation
import EventLog
@testable import RegistryDomain

/// Keeps docs/JSON-FORM.md honest: every example line parses, belongs in its stream and round-trips.
@Suite struct JSONFormDocumentTests {
    static func exampleLines() throws -> [String] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/JSON-FORM.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n").filter { $0.hasPrefix("{\"") }.map(String.init)
    }

    @Test func everyTypeHasAnExampleThatParses() throws {
        let lines = try Self.exampleLines()
        var types = Set<RegistryEventType>()
        var versions = Set<UInt16>()
        for text in lines {
            let line = try JSONEventLine.parse(text)
            try line.checkStream()
            types.insert(line.event.type)
            versions.insert(line.event.schemaVersion)
            #expect(try JSONEventLine.parse(try line.jsonText()) == line)
            #expect(try line.jsonText() == text)
        }
        #expect(types == Set(RegistryEventType.allCases))
        #expect(versions == [1, 2])
    }
}
