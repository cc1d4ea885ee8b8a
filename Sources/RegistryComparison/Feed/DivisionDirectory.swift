import Foundation
import RegistryDomain

/// The divisions a city knows (GB/T 2260 and its street and community codes): a division code in a feed must be
/// one of them, or lie under one of them.
public struct DivisionDirectory: Sendable, Hashable {
    /// The known codes, padded to 12 digits.
    public private(set) var codes: Set<UInt64>

    /// A directory of the given codes.
    public init(_ codes: some Sequence<DivisionCode>) {
        self.codes = Set(codes.map(\.padded))
    }

    /// Reads a directory file: one code per line (6, 9 or 12 digits), optionally followed by a comma and a name;
    /// blank lines and lines starting with `#` are skipped.
    /// - Throws: ``ComparisonError`` (`unreadable-feed`, `bad-mapping` naming the line).
    public init(contentsOf path: String) throws(ComparisonError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ComparisonError(.unreadableFeed, "cannot read the division list", file: path)
        }
        var codes = Set<UInt64>()
        for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty || text.hasPrefix("#") { continue }
            let field = text.split(separator: ",", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if n == 0, DivisionCode(validating: field) == nil, field.lowercased().contains("code") { continue }  // a header
            guard let code = DivisionCode(validating: field) else {
                throw ComparisonError(.badMapping, "not a division code (6, 9 or 12 digits)", file: path, line: n + 1)
            }
            codes.insert(code.padded)
        }
        self.codes = codes
    }

    /// Whether a code is known: listed itself, or under a listed division.
    public func contains(_ code: DivisionCode) -> Bool {
        if codes.contains(code.padded) { return true }
        var level = code.level
        while level > .province {
            level = DivisionCode.Level(rawValue: level.rawValue - 1)!
            if codes.contains(code.truncated(to: level).padded) { return true }
        }
        return false
    }
}
