import EventLog

/// What kind of personal value a ``Personal`` holds, and so how it is masked for display.
///
/// ## Topics
/// ### Kinds
/// - ``NameKind``
/// - ``PhoneKind``
/// - ``AddressKind``
/// - ``CertificateKind``
/// - ``TextKind``
public protocol PersonalKind: Sendable {
    /// The field's name in audit records, such as `name` or `phone`.
    static var fieldName: String { get }
    /// The display form of a value: never the full value.
    static func mask(_ value: String) -> String
}

// The masking policy (DESIGN.md, "Personal data"): each kind shows a bounded part of a value, never the whole of
// it (a value too short to keep a part is shown as stars only) and never its exact length (the hidden part is
// always the same fixed run of stars or an ellipsis). An empty value shows as empty: it holds nothing personal.

/// A person's name: masked to the surname, `张**`.
public enum NameKind: PersonalKind {
    /// `name`.
    public static let fieldName = "name"
    /// Keeps the first character of a name of two or more and adds a fixed `**`: `张三` → `张**`,
    /// `欧阳娜娜` → `欧**`; a one-character name becomes `***`.
    public static func mask(_ value: String) -> String {
        guard let first = value.first else { return "" }
        return value.count >= 2 ? String(first) + "**" : "***"
    }
}

/// A phone number: masked to `138****5678`.
public enum PhoneKind: PersonalKind {
    /// `phone`.
    public static let fieldName = "phone"
    /// Keeps the first three and last four characters of a number of 11 or more around a fixed `****`, the last
    /// two of a number of 7 to 10 after `****`, and nothing of a shorter one (`****`).
    public static func mask(_ value: String) -> String {
        let c = Array(value)
        if c.isEmpty { return "" }
        if c.count >= 11 { return String(c[..<3]) + "****" + String(c[(c.count - 4)...]) }
        if c.count >= 7 { return "****" + String(c[(c.count - 2)...]) }
        return "****"
    }
}

/// An address: truncated to its first characters (the city and district), `天津市和平区…`.
public enum AddressKind: PersonalKind {
    /// `address`.
    public static let fieldName = "address"
    /// Keeps the first six characters of an address of 9 or more (the city and district), the first two of one
    /// of 4 to 8, and nothing of a shorter one, then `…`: `天津市和平区南京路123号` → `天津市和平区…`,
    /// `和平区南京路` → `和平…`, `和平区` → `…`.
    public static func mask(_ value: String) -> String {
        if value.isEmpty { return "" }
        let n = value.count
        return String(value.prefix(n >= 9 ? 6 : n >= 4 ? 2 : 0)) + "…"
    }
}

/// A certificate number other than a citizen ID (passport, Hong Kong, Macao and Taiwan permits), or an ID number
/// as written by a surveyor before it is checked: masked like a stream id, `1201**********0024`.
public enum CertificateKind: PersonalKind {
    /// `certificateNumber`.
    public static let fieldName = "certificateNumber"
    /// `Masking/mask(_:)`: the first and last four characters of a value of 15 or more around ten `*`, ten `*`
    /// for a shorter one.
    public static func mask(_ value: String) -> String { value.isEmpty ? "" : Masking.mask(value) }
}

/// Free text about a person, such as a corrected value: shown only as its first character.
public enum TextKind: PersonalKind {
    /// `text`.
    public static let fieldName = "text"
    /// Keeps the first character of a text of two or more and adds a fixed `***`; a one-character text becomes
    /// `***`.
    public static func mask(_ value: String) -> String {
        guard let first = value.first else { return "" }
        return value.count >= 2 ? String(first) + "***" : "***"
    }
}
