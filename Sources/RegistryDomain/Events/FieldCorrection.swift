/// One corrected field of a ``PersonDataCorrected`` event: which field and its new value.
public struct FieldCorrection: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The field.
    public var field: PersonField
    /// The new value, as text (division codes and enum names as their text form).
    public var value: PersonalText

    /// Creates a correction.
    public init(field: PersonField, value: PersonalText) {
        self.field = field
        self.value = value
    }

    /// `field=masked value`, masked by the field's kind.
    public var description: String {
        let v = value.storage
        let shown: String
        switch field {
        case .name: shown = NameKind.mask(v)
        case .phone: shown = PhoneKind.mask(v)
        case .hukouAddress, .residenceAddress: shown = AddressKind.mask(v)
        // A vocabulary or a code is shown only when the value is one of its spellings: anything else typed into
        // the field may be personal, and is masked as free text.
        case .hukouType: shown = HukouType(rawValue: v) != nil ? v : TextKind.mask(v)
        case .employmentStatus: shown = EmploymentStatus(rawValue: v) != nil ? v : TextKind.mask(v)
        case .vitalStatus: shown = v == "alive" || v == "deceased" ? v : TextKind.mask(v)
        case .hukouDivision, .residenceDivision: shown = (try? DivisionCode(v)) != nil ? v : TextKind.mask(v)
        case .ethnicity: shown = TextKind.mask(v)
        }
        return "\(field)=\(shown)"
    }
}
