import EventLog

// What a ``PersonRegistered`` means to the replay (``PersonFact``), and its fast decoder: it reads the payload's bytes in
// place, in the order of `PersonRegistered+Binary.swift`, skipping the fields the views never use (no allocation).
// `PersonFactTests` checks that both paths give the same fact.

extension PersonRegistered {
    /// What the event means to the views.
    public var personFact: PersonFact { .registered(hukou: hukouDivision?.padded ?? 0, residence: residenceDivision?.padded ?? 0, employment: employmentStatus) }

    /// Reads the fact straight from a current-version payload, skipping what the views never use.
    /// - Throws: ``EventFormatError`` on truncated or invalid bytes.
    @inlinable
    static func replayFact(from r: inout BinaryPayloadReader) throws(EventFormatError) -> PersonFact {
        _ = try r.readInteger(UInt64.self)  // citizen ID: the stream says whose
        try r.skipString()  // name
        try r.skipString()  // ethnicity
        _ = try HukouType.read(from: &r)
        try r.skipString()  // hukou address
        let hukou = try r.optionalPadded()
        try r.skipString()  // residence address
        let residence = try r.optionalPadded()
        if try r.readInteger(UInt8.self) == 1 { try r.skipString() }  // phone
        let employment = try EmploymentStatus.read(from: &r)
        _ = try Department.read(from: &r)
        return .registered(hukou: hukou, residence: residence, employment: employment)
    }
}
