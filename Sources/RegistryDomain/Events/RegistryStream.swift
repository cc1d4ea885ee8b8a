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
    /// - Throws: ``EventFormatError/Code/wrongStream`` when the category is not a registry one or the id part is
    ///   not a valid citizen ID, credit code or date (no value appears in the message).
    public init(_ stream: StreamID) throws(EventFormatError) {
        let raw = stream.rawValue
        guard let dash = raw.firstIndex(of: "-") else {
            throw EventFormatError(.wrongStream, "a registry stream is category-id", stream: stream)
        }
        let rest = String(raw[raw.index(after: dash)...])
        switch raw[..<dash] {
        case "person":
            // Streams are named by the canonical 18-character number only.
            guard rest.utf8.count == 18, let id = CitizenID(validating: rest), id.value == rest else {
                throw EventFormatError(.wrongStream, "person streams are person-<valid 18-character citizen ID>", stream: stream)
            }
            self = .person(id)
        case "employer":
            guard let code = CreditCode(validating: rest), code.value == rest else {
                throw EventFormatError(.wrongStream, "employer streams are employer-<valid credit code>", stream: stream)
            }
            self = .employer(code)
        case "audit":
            guard let date = CalendarDate(iso: rest) else {
                throw EventFormatError(.wrongStream, "audit streams are audit-YYYY-MM-DD", stream: stream)
            }
            self = .audit(date)
        case "target":
            guard let code = DivisionCode(validating: rest), code.value == rest else {
                throw EventFormatError(.wrongStream, "target streams are target-<division code>", stream: stream)
            }
            self = .target(code)
        default:
            throw EventFormatError(.wrongStream, "the category is not person, employer, target or audit", stream: stream)
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
