import EventLog

/// A usage error as one line: ArgumentParser's message, first line only, with every value it quotes from the
/// command line replaced by `…` (an argument may be a citizen ID or a name).
///
/// Kept: quoted option and argument names (`'--as-of <DATE>'`, `'<file>'`) and the values ArgumentParser offers
/// after "one of" (the option's vocabulary). Anything else in quotes came from the command line.
struct UsageLine {
    /// The line, without the `registry: error: ` prefix.
    let text: String

    /// Makes the line; nil when the message is empty (an exit without a message).
    init?(_ message: String) {
        guard let first = message.split(whereSeparator: \.isNewline).map({ $0.trimmingCharacters(in: .whitespaces) })
            .first(where: { !$0.isEmpty }) else { return nil }
        var line = first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first
        line = Self.redacted(line)
        text = Masking.scrubbed(line) + " (see --help)"
    }

    /// The line with quoted command-line values replaced by `…`.
    static func redacted(_ line: String) -> String {
        let vocabularyFrom = line.range(of: "one of")?.lowerBound
        var out = ""
        var rest = line[...]
        while let open = rest.firstIndex(of: "'") {
            out += rest[...open]
            let after = rest.index(after: open)
            guard let close = rest[after...].firstIndex(of: "'") else {
                out += "…"
                return out
            }
            let quoted = rest[after..<close]
            let offered = vocabularyFrom.map { open > $0 } ?? false
            out += offered || isName(quoted) ? String(quoted) : "…"
            out += "'"
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// An option or argument name: `--as-of`, `-h`, `<file>`, `--level <level>`.
    static func isName(_ text: Substring) -> Bool {
        let parts = text.split(separator: " ")
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { p in
            let u = Array(p.utf8)
            let body: ArraySlice<UInt8>
            if u.first == UInt8(ascii: "<"), u.last == UInt8(ascii: ">"), u.count > 2 {
                body = u[1..<(u.count - 1)]
            } else if u.first == UInt8(ascii: "-") {
                body = u.drop(while: { $0 == UInt8(ascii: "-") })
                guard body.count <= 32 else { return false }
            } else {
                return false
            }
            return !body.isEmpty && body.allSatisfy {
                (0x61...0x7A).contains($0) || (0x41...0x5A).contains($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
            }
        }
    }
}
