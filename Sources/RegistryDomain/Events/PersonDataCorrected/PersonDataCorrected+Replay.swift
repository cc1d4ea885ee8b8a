import EventLog

// What a ``PersonDataCorrected`` means to the replay (``PersonFact``). A rare event: the replay decodes it fully.

extension PersonDataCorrected {
    /// What the correction means to the views: the divisions, vital status and employment status it changes.
    public var personFact: PersonFact {
        var hukou: UInt64?, residence: UInt64?, deceased: Bool?, employment: EmploymentStatus?
        for c in corrections {
            switch c.field {
            case .hukouDivision: hukou = DivisionCode(validating: c.value.storage)?.padded ?? hukou
            case .residenceDivision: residence = DivisionCode(validating: c.value.storage)?.padded ?? residence
            case .vitalStatus: deceased = c.value.storage == "deceased"
            case .employmentStatus: employment = EmploymentStatus(rawValue: c.value.storage) ?? employment
            default: break
            }
        }
        return .corrected(hukou: hukou, residence: residence, deceased: deceased, employment: employment)
    }
}
