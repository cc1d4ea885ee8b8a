import RegistryDomain

/// What the views keep of one person: 48 bytes, one cache line's worth, touched once per event.
struct PersonRecord: Hashable, Sendable {
    /// The person's key (the 17 leading digits of the citizen ID).
    var key: UInt64
    /// Household-registration and residence divisions, padded to 12 digits; 0 when unknown.
    var hukou: UInt64 = 0
    var residence: UInt64 = 0
    /// Effective time of the first fact about the person.
    var firstSeen: Int64
    /// Byte *t* holds the `Coverage.Status` of insurance type *t* (byte 0 unused).
    var coverage: UInt64 = 0
    /// `RegistryFold.Flags`.
    var flags: UInt32 = 0
    /// The open ledger case, or -1.
    var openCase: Int32 = -1

    init(key: UInt64, firstSeen: Int64) {
        self.key = key
        self.firstSeen = firstSeen
    }

    @inline(__always)
    func status(_ t: InsuranceType) -> Coverage.Status {
        Coverage.Status(rawValue: UInt8(truncatingIfNeeded: coverage >> (8 * UInt64(t.rawValue)))) ?? .notEnrolled
    }

    @inline(__always)
    mutating func setStatus(_ t: InsuranceType, _ s: Coverage.Status) {
        let shift = 8 * UInt64(t.rawValue)
        coverage = coverage & ~(0xFF << shift) | UInt64(s.rawValue) << shift
    }

    /// Bit *t − 1* for each type enrolled or interrupted.
    var activeTypes: UInt8 { typesWhere { $0 == Coverage.Status.enrolled.rawValue || $0 == Coverage.Status.interrupted.rawValue } }

    /// Bit *t − 1* for each type enrolled, interrupted or transferred out: what meets a requirement.
    var coveredTypes: UInt8 {
        typesWhere { $0 == Coverage.Status.enrolled.rawValue || $0 == Coverage.Status.interrupted.rawValue || $0 == Coverage.Status.transferredOut.rawValue }
    }

    /// Bit *t − 1* for each type transferred out.
    var transferredOutTypes: UInt8 { typesWhere { $0 == Coverage.Status.transferredOut.rawValue } }

    @inline(__always)
    private func typesWhere(_ test: (UInt8) -> Bool) -> UInt8 {
        var mask: UInt8 = 0
        var c = coverage >> 8
        for t in 0..<7 {
            if test(UInt8(truncatingIfNeeded: c)) { mask |= 1 << t }
            c >>= 8
        }
        return mask
    }
}
