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

/// A person's name: masked to the surname, `张*`.
public enum NameKind: PersonalKind {
    /// `name`.
    public static let fieldName = "name"
    /// Keeps the first character and replaces the rest with one `*` each: `张三` → `张*`, `欧阳娜娜` → `欧***`.
    public static func mask(_ value: String) -> String {
        guard let first = value.first else { return "" }
        return String(first) + String(repeating: "*", count: max(1, value.count - 1))
    }
}

/// A phone number: masked to `138****5678`.
public enum PhoneKind: PersonalKind {
    /// `phone`.
    public static let fieldName = "phone"
    /// Keeps the first three and last four characters of a number of 11 or more, otherwise the last two.
    public static func mask(_ value: String) -> String {
        let c = Array(value)
        if c.count >= 11 { return String(c[..<3]) + String(repeating: "*", count: c.count - 7) + String(c[(c.count - 4)...]) }
        guard c.count > 2 else { return String(repeating: "*", count: c.count) }
        return String(repeating: "*", count: c.count - 2) + String(c[(c.count - 2)...])
    }
}

/// An address: truncated after the first six characters (the city and district), `天津市和平区…`.
public enum AddressKind: PersonalKind {
    /// `address`.
    public static let fieldName = "address"
    /// Keeps the first six characters and replaces the rest with `…`.
    public static func mask(_ value: String) -> String {
        value.count <= 6 ? value : String(value.prefix(6)) + "…"
    }
}

/// A certificate number other than a citizen ID (passport, Hong Kong, Macao and Taiwan permits), or an ID number
/// as written by a surveyor before it is checked: masked like a stream id, `1201**********0024`.
public enum CertificateKind: PersonalKind {
    /// `certificateNumber`.
    public static let fieldName = "certificateNumber"
    /// Keeps the first four and last four characters of a value longer than eight.
    public static func mask(_ value: String) -> String { Masking.mask(value) }
}

/// Free text about a person, such as a corrected value: shown only as its first character.
public enum TextKind: PersonalKind {
    /// `text`.
    public static let fieldName = "text"
    /// Keeps the first character and replaces the rest with `***`.
    public static func mask(_ value: String) -> String {
        guard let first = value.first else { return "" }
        return String(first) + "***"
    }
}
