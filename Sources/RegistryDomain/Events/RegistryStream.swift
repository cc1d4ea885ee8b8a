import EventLog

/// Where registry events live, and how streams are named.
///
/// - `person-<18-character citizen ID>`: everything about one person, including their survey tasks, so that every
///   rule about a person (enrolment, survey review, death) is decided on one stream with one expected version.
/// - `employer-<credit code>`: an employer's registration and screenings.
/// - `target-<division code>`: the targets set for an area (``TargetSet``), revisions included.
/// - `audit-<YYYY-MM-DD>`: the day's ``PersonalDataRevealed`` facts (China Standard Time).
public enum RegistryStream: Hashable, Sendable, CustomStringConvertible {
    /// A stream category.
    public enum Category: String, Sendable, Hashable, CaseIterable {
        /// `person-…`.
        case person
        /// `employer-…`.
        case employer
        /// `audit-…`.
        case audit
        /// `target-…`.
        case target
    }

    /// A person's stream.
    case person(CitizenID)
    /// An employer's stream.
    case employer(CreditCode)
    /// A day's audit stream.
    case audit(CalendarDate)
    /// An area's targets.
    case target(DivisionCode)

    /// Reads a stream id as a registry stream.
    /// - Throws: ``EventFormatError/Code/invalidStream`` when the category is not a registry one or the id part
    ///   is not a valid citizen ID, credit code or date; ``EventFormatError/Code/nonCanonicalStream`` when it is a
    ///   valid one written otherwise than canonically (a lower-case `x`, a 15-digit legacy ID). Streams are keys:
    ///   they are never rewritten. No value appears in the message.
    public init(_ stream: StreamID) throws(EventFormatError) {
        let raw = stream.rawValue
        guard let dash = raw.firstIndex(of: "-") else {
            throw EventFormatError(.invalidStream, "a registry stream is person-, employer- or audit- followed by its key", stream: stream)
        }
        let rest = String(raw[raw.index(after: dash)...])
        switch raw[..<dash] {
        case "person":
            // Streams are named by the canonical 18-character number only.
            let id: CitizenID
            do { id = try CitizenID(rest) } catch {
                throw EventFormatError(.invalidStream, "person streams are person-<valid 18-character citizen ID>; the ID breaks \(error.code)", stream: stream)
            }
            guard id.value == rest else {
                throw EventFormatError(.nonCanonicalStream, "person streams name the canonical 18-character citizen ID (check character X in upper case, no 15-digit legacy number)", stream: stream)
            }
            self = .person(id)
        case "employer":
            let code: CreditCode
            do { code = try CreditCode(rest) } catch {
                throw EventFormatError(.invalidStream, "employer streams are employer-<valid credit code>; the code breaks \(error.code)", stream: stream)
            }
            guard code.value == rest else {
                throw EventFormatError(.nonCanonicalStream, "employer streams name the canonical credit code (upper case)", stream: stream)
            }
            self = .employer(code)
        case "audit":
            guard let date = CalendarDate(iso: rest) else {
                throw EventFormatError(.invalidStream, "audit streams are audit-YYYY-MM-DD", stream: stream)
            }
            self = .audit(date)
        case "target":
            guard let code = DivisionCode(validating: rest), code.value == rest else {
                throw EventFormatError(.invalidStream, "target streams are target-<division code>", stream: stream)
            }
            self = .target(code)
        default:
            throw EventFormatError(.invalidStream, "the category is not person, employer, target or audit", stream: stream)
        }
    }

    /// The stream's category.
    public var category: Category {
        switch self {
        case .person: .person
        case .employer: .employer
        case .audit: .audit
        case .target: .target
        }
    }

    /// The stream id.
    public var streamID: StreamID {
        switch self {
        case .person(let id): .person(id)
        case .employer(let code): .employer(code)
        case .audit(let date): .audit(date)
        case .target(let area): .target(area)
        }
    }

    /// The masked stream id.
    public var description: String { streamID.masked }
}

extension StreamID {
    /// `person-<18-character citizen ID>`.
    public static func person(_ id: CitizenID) -> StreamID { try! StreamID("person-" + id.value) }
    /// `employer-<credit code>`.
    public static func employer(_ code: CreditCode) -> StreamID { try! StreamID("employer-" + code.value) }
    /// `target-<division code>`: an area's targets.
    public static func target(_ area: DivisionCode) -> StreamID { try! StreamID("target-" + area.value) }
    /// `audit-YYYY-MM-DD`.
    public static func audit(_ date: CalendarDate) -> StreamID { try! StreamID("audit-" + date.description) }
}
