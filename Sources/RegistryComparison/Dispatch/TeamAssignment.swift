import Foundation
import RegistryDomain

/// Which survey team visits which place: a team per community (or per street or county, for every community
/// under it), and an optional default.
///
/// Read from a CSV file with the header `division,team` or a JSON object `{"120101001001": "team-1", "*": "team-0"}`
/// (`*` is the default). The most specific listed division wins.
public struct TeamAssignment: Sendable, Hashable {
    /// Division (padded to 12 digits) → team.
    public private(set) var teams: [UInt64: String]
    /// The team for places no listed division covers.
    public var defaultTeam: String?

    /// An assignment from a table.
    public init(_ teams: [DivisionCode: String] = [:], defaultTeam: String? = nil) {
        self.teams = Dictionary(uniqueKeysWithValues: teams.map { ($0.key.padded, $0.value) })
        self.defaultTeam = defaultTeam
    }

    /// Reads a mapping file: JSON when it starts with `{`, else CSV with a `division,team` header.
    /// - Throws: ``ComparisonError`` (`unreadable-feed`; `bad-mapping` naming the line or key).
    public init(contentsOf path: String) throws(ComparisonError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ComparisonError(.unreadableFeed, "cannot read the team mapping", file: path)
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        var table: [DivisionCode: String] = [:]
        var fallback: String?
        if text.hasPrefix("{") {
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: String] else {
                throw ComparisonError(.badMapping, "not a JSON object of division codes to team names", file: path)
            }
            for (key, team) in object {
                if key == "*" { fallback = team; continue }
                guard let code = DivisionCode(validating: key) else {
                    throw ComparisonError(.badMapping, "the key \(key.count) characters long is not a division code", file: path)
                }
                table[code] = team
            }
        } else {
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                if fields.allSatisfy(\.isEmpty) || fields[0].hasPrefix("#") { continue }
                if n == 0, fields.first == "division" || fields.first == "community" { continue }
                guard fields.count == 2, !fields[1].isEmpty else {
                    throw ComparisonError(.badMapping, "a line must be `division,team`", file: path, line: n + 1)
                }
                if fields[0] == "*" { fallback = fields[1]; continue }
                guard let code = DivisionCode(validating: fields[0]) else {
                    throw ComparisonError(.badMapping, "not a division code (6, 9 or 12 digits)", file: path, line: n + 1)
                }
                table[code] = fields[1]
            }
        }
        self.init(table, defaultTeam: fallback)
    }

    /// The team for a place (padded division): the most specific listed division containing it, else the default.
    public func team(for division: UInt64) -> String? {
        if let code = DivisionCode(padded: division) {
            var level = code.level
            while true {
                if let team = teams[code.truncated(to: level).padded] { return team }
                guard level > .province else { break }
                level = DivisionCode.Level(rawValue: level.rawValue - 1)!
            }
        }
        return defaultTeam
    }
}
