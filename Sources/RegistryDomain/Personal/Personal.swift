/// A personal value (name, phone number, address, certificate number) that shows only its masked form.
///
/// `description`, `debugDescription`, string interpolation and reflection (`dump`, `Mirror`) all give
/// ``masked``, so a personal value cannot leak into a log line or an error by accident. The full value is
/// available only through ``PersonalDataAccess/reveal(_:of:by:reason:at:)``, which records who viewed whom,
/// when and why, and to the module's own encoders.
///
/// - Important: The JSON form (import and export) carries the full value: export files are confidential
///   (002 art. 31-33).
public struct Personal<Kind: PersonalKind>: Hashable, Sendable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    /// The full value: internal, so that only the module's encoders and the audited reveal read it.
    @usableFromInline let storage: String

    /// Wraps a personal value.
    public init(_ value: String) { self.storage = value }

    /// The display form: `张**`, `138****5678`, `天津市和平区…`.
    public var masked: String { Kind.mask(storage) }

    /// Whether the value is empty.
    public var isEmpty: Bool { storage.isEmpty }

    /// The masked form.
    public var description: String { masked }
    /// The masked form.
    public var debugDescription: String { "\(Kind.fieldName)(\(masked))" }
    /// Reflection shows only the masked form.
    public var customMirror: Mirror { Mirror(self, children: ["masked": masked]) }
}

/// A person's name, masked `张**`.
public typealias PersonName = Personal<NameKind>
/// A phone number, masked `138****5678`.
public typealias PhoneNumber = Personal<PhoneKind>
/// An address, masked `天津市和平区…`.
public typealias Address = Personal<AddressKind>
/// A certificate number, masked `1201**********0024`.
public typealias CertificateNumber = Personal<CertificateKind>
/// Free personal text, masked to its first character.
public typealias PersonalText = Personal<TextKind>

extension Personal: Codable {
    /// Encodes the full value (the JSON form is for import and export).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(storage)
    }

    /// Decodes a value.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        self.storage = try c.decode(String.self)
    }
}
