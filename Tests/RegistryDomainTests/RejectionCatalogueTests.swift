import Testing
import Foundation
import EventLog
@testable import RegistryDomain

/// docs/REJECTIONS.md documents every code an import can reject a line with, and nothing that is not one.
@Suite struct RejectionCatalogueTests {
    static let document: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("docs/REJECTIONS.md"), encoding: .utf8)) ?? ""
    }()

    @Test func everyCodeHasItsSection() {
        #expect(!Self.document.isEmpty, "docs/REJECTIONS.md is missing")
        for code in RejectionCatalogue.codes {
            #expect(Self.document.contains("### `\(code)`\n"), "docs/REJECTIONS.md has no section for \(code)")
        }
    }

    @Test func everySectionIsACode() {
        let codes = Set(RejectionCatalogue.codes)
        let sections = Self.document.split(separator: "\n").filter { $0.hasPrefix("### `") }
            .map { $0.dropFirst(5).prefix { $0 != "`" } }
        #expect(sections.count == codes.count)
        for section in sections { #expect(codes.contains(String(section)), "\(section) is not a code") }
    }

    /// The lists the catalogue is derived from hold every static code of their types (a code added without being
    /// listed would be missing from the catalogue).
    @Test func theListsAreComplete() {
        #expect(Set(EventFormatError.Code.all).count == EventFormatError.Code.all.count)
        #expect(Set(RuleViolation.Rule.all).count == RuleViolation.Rule.all.count)
        let formSource = Self.source("Sources/RegistryDomain/Encoding/EventFormatError.swift")
        let ruleSource = Self.source("Sources/RegistryDomain/Rules/RuleViolation.swift")
        #expect(Self.staticCodes(in: formSource) == Set(EventFormatError.Code.all.map(\.rawValue)))
        #expect(Self.staticCodes(in: ruleSource) == Set(RuleViolation.Rule.all.map(\.rawValue)))
    }

    /// Every example line in the catalogue that is JSON is rejected with the code of its section, or needs a
    /// state (then it parses).
    @Test func examplesGetTheirCode() {
        var code = ""
        var checked = 0
        var inBlock = false
        for line in Self.document.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("### `") { code = String(line.dropFirst(5).prefix { $0 != "`" }) }
            if line == "```" { inBlock.toggle(); continue }
            guard inBlock, line.hasPrefix("{") else { continue }
            let formCodes = Set(EventFormatError.Code.all.map(\.rawValue))
            guard formCodes.contains(code), !line.contains("(300 bytes)"), code != "invalid-utf8" else { continue }
            checked += 1
            do {
                let parsed = try JSONEventLine.parse(String(line))
                try parsed.checkStream()
                Issue.record("the example of \(code) is accepted")
            } catch {
                #expect(error.code.rawValue == code, "the example of \(code) gets \(error)")
            }
        }
        #expect(checked >= 12)
    }

    static func source(_ path: String) -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) ?? ""
    }

    /// The raw values of `public static let x = Code(rawValue: "…")` / `Rule(rawValue: "…")`.
    static func staticCodes(in source: String) -> Set<String> {
        Set(source.matches(of: /static let \w+ = (?:Code|Rule)\(rawValue: "([^"]+)"\)/).map { String($0.output.1) })
    }
}
