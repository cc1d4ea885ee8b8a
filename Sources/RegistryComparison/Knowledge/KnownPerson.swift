import RegistryDomain

/// What the registry knows of one person, as far as a comparison needs it: 40 bytes, no references.
public struct KnownPerson: Sendable, Hashable {
    /// The 17 leading digits of the citizen ID number.
    public var key: UInt64
    /// The hukou division, padded to 12 digits (0 when unknown).
    public var hukou: UInt64 = 0
    /// The residence division, padded to 12 digits (0 when unknown).
    public var residence: UInt64 = 0
    /// The version of the last event in the person's stream (-1: no stream yet).
    public var version: Int64 = -1
    /// The ``TrackedFinding`` bits whose department's latest word is that they hold.
    public var findings: UInt32 = 0
    /// Each insurance type's ``CoverageStatus``, 4 bits per type (type *n* at bits 4n…4n+3).
    public var coverage: UInt32 = 0
    /// ``Flags``.
    public var flags: UInt8 = 0

    /// Flags of a known person.
    public enum Flags {
        /// A `PersonRegistered` is in the stream.
        public static let registered: UInt8 = 1
        /// Died (a death finding or mark, not undone by a correction): the rules refuse new facts.
        public static let deceased: UInt8 = 2
        /// An append for the person failed during this run: later rows for them are not compared.
        public static let conflicted: UInt8 = 4
    }

    /// Creates an entry for a person with no stream yet.
    public init(key: UInt64) { self.key = key }

    /// Whether the stream holds a registration.
    public var isRegistered: Bool { flags & Flags.registered != 0 }
    /// Whether the person died.
    public var isDeceased: Bool { flags & Flags.deceased != 0 }
    /// Whether the person's stream exists.
    public var hasStream: Bool { version >= 0 }

    /// Whether a tracked finding holds.
    public func holds(_ finding: TrackedFinding) -> Bool { findings & finding.bit != 0 }

    /// The status of an insurance type.
    public func status(_ type: InsuranceType) -> CoverageStatus {
        CoverageStatus(rawValue: UInt8((coverage >> (UInt32(type.rawValue) * 4)) & 0xF)) ?? .notEnrolled
    }

    /// Sets the status of an insurance type.
    public mutating func setStatus(_ status: CoverageStatus, of type: InsuranceType) {
        let shift = UInt32(type.rawValue) * 4
        coverage = (coverage & ~(0xF << shift)) | (UInt32(status.rawValue) << shift)
    }
}

/// Where a person stands in one insurance type, as the comparison with the enrolment extract needs it.
public enum CoverageStatus: UInt8, Sendable, Hashable, Codable {
    /// Never enrolled here.
    case notEnrolled = 0
    /// Enrolled and paying.
    case paying = 1
    /// Enrolled, contributions interrupted.
    case interrupted = 2
    /// Enrolment terminated.
    case terminated = 3
    /// Transferred out of the region.
    case transferredOut = 4

    /// Whether the enrolment is active (paying or interrupted).
    public var isActive: Bool { self == .paying || self == .interrupted }
}
