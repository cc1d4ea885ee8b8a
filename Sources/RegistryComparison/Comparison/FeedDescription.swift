import EventLog
import RegistryDomain

/// Which feed a run reads: its kind, its name and its date, the provenance every recorded fact carries.
public struct FeedDescription: Sendable, Hashable, Codable {
    /// The feed kind.
    public var kind: FeedKind
    /// The feed's name (by default the file's name): goes into each fact's `feed` header and its event id.
    public var name: String
    /// The feed's date: facts take effect at its midnight (China Standard Time) unless a row has its own date.
    public var date: CalendarDate

    /// Describes a feed.
    public init(kind: FeedKind, name: String, date: CalendarDate) {
        self.kind = kind
        self.name = name
        self.date = date
    }

    /// The department sending it.
    public var department: Department { kind.department }

    /// The actor of the facts recorded from it: `source:<department>`, such as `source:public-security`.
    public var actor: String { "source:" + Self.kebab(department.rawValue) }

    /// The metadata of a fact from a row: actor, and the `feed`, `feed-kind`, `feed-date` and `line` headers.
    public func metadata(line: Int?) -> EventMetadata {
        var headers = ["feed": name, "feed-kind": kind.rawValue, "feed-date": date.description]
        if let line { headers["line"] = String(line) }
        return EventMetadata(actor: actor, headers: headers)
    }

    /// The metadata of every fact from this feed but the line, made once per run (the hot path copies it).
    func baseMetadata() -> EventMetadata {
        var m = metadata(line: nil)
        m.headers.reserveCapacity(4)
        return m
    }

    /// `publicSecurity` → `public-security`.
    static func kebab(_ camel: String) -> String {
        var out = ""
        for c in camel {
            if c.isUppercase { out.append("-"); out.append(contentsOf: c.lowercased()) } else { out.append(c) }
        }
        return out
    }

    /// Finds a date `YYYY-MM-DD` or `YYYYMMDD` in a file name (`tax-2024-03-01.csv`), for the default feed date.
    public static func date(inFileName name: String) -> CalendarDate? {
        let u = Array(name.utf8)
        func digit(_ i: Int) -> Bool { i < u.count && (0x30...0x39).contains(u[i]) }
        var i = 0
        while i < u.count {
            if (0..<4).allSatisfy({ digit(i + $0) }) {
                if i + 10 <= u.count, u[i + 4] == UInt8(ascii: "-"), u[i + 7] == UInt8(ascii: "-"),
                   let d = CalendarDate(iso: String(decoding: u[i..<(i + 10)], as: UTF8.self)) { return d }
                if (0..<8).allSatisfy({ digit(i + $0) }), !digit(i + 8), i == 0 || !digit(i - 1),
                   let d = CalendarDate(compact: String(decoding: u[i..<(i + 8)], as: UTF8.self)) { return d }
            }
            i += 1
        }
        return nil
    }
}
