import RegistryDomain

/// A feed row checked and read into registry values: what it says, about whom.
public enum FeedRecord: Sendable, Hashable {
    /// A row about a person.
    case person(CitizenID, PersonRow)
    /// A row about an employer (market regulation).
    case employer(EmployerRegistered)
}

/// What a row says about a person.
public enum PersonRow: Sendable, Hashable {
    /// The population extract: the person's registration data (a `resident` finding), with the addresses as
    /// read (for corrections).
    case population(PersonRegistered, hukouAddress: String, residenceAddress: String)
    /// Findings that hold, with the employer for an employment finding, the province for insured-elsewhere,
    /// and the row's own date when it has one (it overrides the feed's date).
    case findings([TrackedFinding], employer: CreditCode?, province: DivisionCode?, date: CalendarDate?)
    /// The enrolment extract: an enrolment and its payment status.
    case enrolment(EnrolmentRow)
}

/// One row of the enrolment extract.
public struct EnrolmentRow: Sendable, Hashable {
    /// The insurance type.
    public var type: InsuranceType
    /// Paying (true) or interrupted.
    public var paying: Bool
    /// The route.
    public var route: EnrolmentRoute
    /// The employer, for the employer route.
    public var employer: CreditCode?
    /// The insuring agency's division.
    public var division: DivisionCode?
    /// When the enrolment or the status began.
    public var since: CalendarDate?
}

extension FeedRecord {
    /// Checks a row and reads it.
    /// - Parameters:
    ///   - row: the row.
    ///   - kind: the feed kind.
    ///   - feedDate: the feed's date; a row's own date must not be after it.
    ///   - divisions: the known divisions, when a list was given (else any well-formed code is accepted).
    /// - Returns: the record, or the rejection (line, code, reason naming the column, never the value).
    public static func parse(_ row: FeedRow, kind: FeedKind, feedDate: CalendarDate, divisions: DivisionDirectory?) -> Result<FeedRecord, RowRejection> {
        do {
            return .success(try read(row, kind: kind, feedDate: feedDate, divisions: divisions))
        } catch {
            return .failure(error)
        }
    }

    static func read(_ row: FeedRow, kind: FeedKind, feedDate: CalendarDate, divisions: DivisionDirectory?) throws(RowRejection) -> FeedRecord {
        let line = row.line
        guard row.fieldCount == row.headerCount else {
            throw RowRejection(line: line, .wrongFieldCount, "the row has \(row.fieldCount) fields, the header \(row.headerCount)")
        }
        func required(_ column: String) throws(RowRejection) -> String {
            guard let v = row[column] else { throw RowRejection(line: line, .missingField, "\(column) is blank") }
            return v
        }
        func division(_ column: String) throws(RowRejection) -> DivisionCode? {
            guard let text = row[column] else { return nil }
            guard let code = DivisionCode(validating: text) else {
                throw RowRejection(line: line, .unknownDivision, "\(column) is not a division code (6, 9 or 12 digits)")
            }
            if let divisions, !divisions.contains(code) {
                throw RowRejection(line: line, .unknownDivision, "\(column) is not a known division")
            }
            return code
        }
        func date(_ column: String) throws(RowRejection) -> CalendarDate? {
            guard let text = row[column] else { return nil }
            guard let d = CalendarDate(iso: text) ?? CalendarDate(compact: text) else {
                throw RowRejection(line: line, .badDate, "\(column) is not a date (YYYY-MM-DD)")
            }
            guard d <= feedDate else { throw RowRejection(line: line, .badDate, "\(column) is after the feed's date") }
            return d
        }
        func creditCode(_ column: String, required isRequired: Bool) throws(RowRejection) -> CreditCode? {
            guard let text = row[column] else {
                if isRequired { throw RowRejection(line: line, .missingField, "\(column) is blank") }
                return nil
            }
            do { return try CreditCode(text) } catch {
                throw RowRejection(line: line, .invalidCreditCode, "\(column): \(error.message)")
            }
        }

        func employerRecord() throws(RowRejection) -> FeedRecord {
            let code = try creditCode("credit_code", required: true)!
            let name = try required("name")
            guard let place = try division("division") else { throw RowRejection(line: line, .missingField, "division is blank") }
            let dispatch: Bool
            switch row["labour_dispatch"]?.lowercased() {
            case nil, "no", "false", "0", "n", "否": dispatch = false
            case "yes", "true", "1", "y", "是": dispatch = true
            default: throw RowRejection(line: line, .badValue, "labour_dispatch is not yes or no")
            }
            return .employer(EmployerRegistered(creditCode: code, name: name, division: place, isLabourDispatch: dispatch))
        }
        if kind == .marketRegulation { return try employerRecord() }

        let idText = try required("id_number")
        let id: CitizenID
        do { id = try CitizenID(idText, today: feedDate) } catch {
            throw RowRejection(line: line, .invalidIDNumber, "id_number: \(error.message)")
        }

        switch kind {
        case .policePopulation:
            let hukouType: HukouType
            switch row["hukou_type"] {
            case nil: hukouType = .unknown
            case "农业", "agricultural": hukouType = .agricultural
            case "非农业", "nonAgricultural", "non-agricultural": hukouType = .nonAgricultural
            case "统一", "居民", "unified": hukouType = .unified
            case "unknown": hukouType = .unknown
            default: throw RowRejection(line: line, .badValue, "hukou_type is not agricultural, nonAgricultural, unified or unknown")
            }
            let registration = PersonRegistered(
                citizenID: id, name: PersonName(try required("name")), ethnicity: row["ethnicity"] ?? "",
                hukouType: hukouType, hukouAddress: Address(row["hukou_address"] ?? ""), hukouDivision: try division("hukou_division"),
                residenceAddress: Address(row["residence_address"] ?? ""), residenceDivision: try division("residence_division"),
                phone: row["phone"].map { PhoneNumber($0) }, employmentStatus: .unknown, source: .publicSecurity)
            return .person(id, .population(registration, hukouAddress: row["hukou_address"] ?? "", residenceAddress: row["residence_address"] ?? ""))
        case .civilAffairsDeaths:
            guard let died = try date("death_date") else { throw RowRejection(line: line, .missingField, "death_date is blank") }
            guard died >= id.birthDate else { throw RowRejection(line: line, .badDate, "death_date is before the birth date") }
            return .person(id, .findings([.deceased], employer: nil, province: nil, date: died))
        case .civilAffairsLowIncome:
            _ = try division("division")
            return .person(id, .findings([.lowIncome], employer: nil, province: nil, date: nil))
        case .tax:
            let employer = try creditCode("employer_credit_code", required: false)
            return .person(id, .findings(employer == nil ? [.taxFiler] : [.taxFiler, .taxEmployer], employer: employer, province: nil, date: nil))
        case .education:
            _ = try division("division")
            return .person(id, .findings([.student], employer: nil, province: nil, date: nil))
        case .prison:
            return .person(id, .findings([.inmate], employer: nil, province: nil, date: try date("admitted_on")))
        case .providentFund:
            let employer = try creditCode("employer_credit_code", required: true)
            return .person(id, .findings([.providentFundContributor, .providentFundEmployer], employer: employer, province: nil, date: nil))
        case .employment:
            let employer = try creditCode("employer_credit_code", required: true)
            return .person(id, .findings([.employmentEmployer], employer: employer, province: nil, date: try date("registered_on")))
        case .otherProvince:
            guard let text = row["province"] else { throw RowRejection(line: line, .missingField, "province is blank") }
            guard let province = DivisionCode(validating: text), province.level == .province else {
                throw RowRejection(line: line, .unknownDivision, "province is not a province code (such as 440000)")
            }
            return .person(id, .findings([.insuredInOtherProvince], employer: nil, province: province, date: nil))
        case .socialInsurance:
            let typeText = try required("insurance_type")
            guard let type = InsuranceType(name: typeText) else {
                throw RowRejection(line: line, .badValue, "insurance_type is not one of the seven insurance types")
            }
            let paying: Bool
            switch try required("status").lowercased() {
            case "paying", "enrolled", "active", "参保缴费", "正常": paying = true
            case "interrupted", "中断", "暂停": paying = false
            default: throw RowRejection(line: line, .badValue, "status is not paying or interrupted")
            }
            let employer = try creditCode("employer_credit_code", required: false)
            let route: EnrolmentRoute
            if let text = row["route"] {
                guard let r = EnrolmentRoute(rawValue: text) else {
                    throw RowRejection(line: line, .badValue, "route is not employer, flexibleEmployment or resident")
                }
                route = r
            } else {
                route = employer != nil ? .employer : type.isResidentScheme ? .resident : .flexibleEmployment
            }
            if route == .employer, employer == nil {
                throw RowRejection(line: line, .missingField, "employer_credit_code is blank for the employer route")
            }
            return .person(id, .enrolment(EnrolmentRow(
                type: type, paying: paying, route: route, employer: employer, division: try division("division"), since: try date("since"))))
        case .marketRegulation:
            return try employerRecord()
        }
    }
}

extension CalendarDate {
    /// Parses `YYYYMMDD`.
    init?(compact text: String) {
        let u = Array(text.utf8)
        guard u.count == 8, u.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let v = u.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        self.init(year: v / 10_000, month: v / 100 % 100, day: v % 100)
    }
}
