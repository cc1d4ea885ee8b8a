import EventLog
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hand-written decoders of the frequent event types' `data` (the demo's export is 86% `SourceObservationRecorded`,
/// `PersonEnrolled` and `PersonRegistered`, and 11% survey tasks, visits and reviews; `StatusMarked` is a seventh of
/// the benchmark's new-person lines): the object's members are
/// matched once against the type's keys, each value read from its node, with no `Decoder` container, existential
/// or generic metadata per field.
///
/// Each decodes exactly what the type's `init(from:)` decodes through `JSONDecoder`, field for field: required keys
/// must be present and not null, optional ones (`decodeIfPresent`) may be absent or null, unknown keys are ignored,
/// identifiers and vocabulary values are checked by the same initialisers. Like the rest of the fast path it
/// names no fault: any failure makes the caller read the line by the full path, which names it.
/// `JSONLineDecoderTests` compares every event type decoded here with the full path's value.
extension JSONLineDecoder {
    /// The `data` of a type with a hand-written decoder, or nil for the other types (decoded through their
    /// `Decodable` conformance over the index).
    func handWrittenData(_ type: RegistryEventType, at data: Int) throws -> RegistryEvent? {
        switch type {
        case .personRegistered: return .personRegistered(try personRegistered(data))
        case .sourceObservationRecorded: return .sourceObservationRecorded(try sourceObservationRecorded(data))
        case .personEnrolled: return .personEnrolled(try personEnrolled(data))
        case .surveyTaskDispatched: return .surveyTaskDispatched(try surveyTaskDispatched(data))
        case .surveyReviewed: return .surveyReviewed(try surveyReviewed(data))
        case .statusMarked: return .statusMarked(try statusMarked(data))
        default: return nil
        }
    }

    // MARK: - Members

    /// Whether a key node holds exactly `name`.
    @inline(__always) func key(_ k: JSONLineIndex.Node, is name: StaticString) -> Bool {
        Int(k.end - k.start) == name.utf8CodeUnitCount && memcmp(p + Int(k.start), name.utf8Start, name.utf8CodeUnitCount) == 0
    }

    /// Calls `body` with each member's key node and value index, in order, of the object at `object`.
    @inline(__always) func forEachMember(_ object: Int, _ body: (JSONLineIndex.Node, Int) -> Void) throws {
        let o = node(object)
        guard o.kind == .object else { throw Failure() }
        var m = object + 1
        for _ in 0..<Int(o.count) {
            body(node(m), m + 1)
            m = Int(node(m + 1).next)
        }
    }

    /// A required member's value index (present; a null then fails in the value's reader, as `decode` does).
    @inline(__always) func required(_ v: Int) throws -> Int {
        guard v >= 0 else { throw Failure() }
        return v
    }

    /// An optional member's value index: nil when absent or null (`decodeIfPresent`).
    @inline(__always) func present(_ v: Int) -> Int? {
        v >= 0 && !isNull(v) ? v : nil
    }

    // MARK: - Values, as their `Decodable` conformances read them

    /// A checked identifier (``TextIdentifier``: `init(parsing:)`, as its `init(from:)`).
    @inline(__always) func identifier<T: TextIdentifier>(_ type: T.Type, _ v: Int) throws -> T {
        guard let t = try? T(parsing: try string(v)) else { throw Failure() }
        return t
    }

    /// A vocabulary value (a `String` raw value, as the synthesised `init(from:)`).
    @inline(__always) func vocabulary<T: RawRepresentable>(_ type: T.Type, _ v: Int) throws -> T where T.RawValue == String {
        guard let t = T(rawValue: try string(v)) else { throw Failure() }
        return t
    }

    /// A UUID in its one textual form (what `UUID(uuidString:)` reads the same; any other form takes the full path).
    @inline(__always) func uuidValue(_ v: Int) throws -> UUID {
        guard let u = JSONEventLine.parseUUID(try string(v)) else { throw Failure() }
        return u
    }

    /// An insurance type by name or default-table code (``InsuranceType``'s `init(from:)`).
    @inline(__always) func insuranceType(_ v: Int) throws -> InsuranceType {
        let text = try string(v)
        guard let t = InsuranceType(name: text) ?? InsuranceCodeTable.default.type(forCode: text) else { throw Failure() }
        return t
    }

    // MARK: - The types

    func personRegistered(_ data: Int) throws -> PersonRegistered {
        var citizenID = -1, name = -1, ethnicity = -1, hukouType = -1, hukouAddress = -1, hukouDivision = -1
        var residenceAddress = -1, residenceDivision = -1, phone = -1, employmentStatus = -1, source = -1
        try forEachMember(data) { k, v in
            switch Int(k.end - k.start) {
            case 4: if key(k, is: "name") { name = v }
            case 5: if key(k, is: "phone") { phone = v }
            case 6: if key(k, is: "source") { source = v }
            case 9:
                if key(k, is: "citizenID") { citizenID = v } else if key(k, is: "ethnicity") { ethnicity = v } else if key(k, is: "hukouType") { hukouType = v }
            case 12: if key(k, is: "hukouAddress") { hukouAddress = v }
            case 13: if key(k, is: "hukouDivision") { hukouDivision = v }
            case 16: if key(k, is: "residenceAddress") { residenceAddress = v } else if key(k, is: "employmentStatus") { employmentStatus = v }
            case 17: if key(k, is: "residenceDivision") { residenceDivision = v }
            default: break
            }
        }
        // In the order of `init(from:)`, so the first fault is the same one (it matters only for nil here).
        let id = try identifier(CitizenID.self, try required(citizenID))
        let personName = PersonName(try string(try required(name)))
        let ethnicityValue = try present(ethnicity).map { try string($0) } ?? ""
        let hukouTypeValue = try present(hukouType).map { try vocabulary(HukouType.self, $0) } ?? .unknown
        let hukouAddressValue = Address(try string(try required(hukouAddress)))
        let hukouDivisionValue = try present(hukouDivision).map { try identifier(DivisionCode.self, $0) }
        let residenceAddressValue = Address(try string(try required(residenceAddress)))
        let residenceDivisionValue = try present(residenceDivision).map { try identifier(DivisionCode.self, $0) }
        let phoneValue = try present(phone).map { PhoneNumber(try string($0)) }
        let employment = try present(employmentStatus).map { try vocabulary(EmploymentStatus.self, $0) } ?? .unknown
        let sourceValue = try vocabulary(Department.self, try required(source))
        return PersonRegistered(
            citizenID: id, name: personName, ethnicity: ethnicityValue, hukouType: hukouTypeValue, hukouAddress: hukouAddressValue,
            hukouDivision: hukouDivisionValue, residenceAddress: residenceAddressValue, residenceDivision: residenceDivisionValue,
            phone: phoneValue, employmentStatus: employment, source: sourceValue)
    }

    func sourceObservationRecorded(_ data: Int) throws -> SourceObservationRecorded {
        var department = -1, finding = -1, employer = -1, otherProvince = -1, reference = -1
        try forEachMember(data) { k, v in
            switch Int(k.end - k.start) {
            case 7: if key(k, is: "finding") { finding = v }
            case 8: if key(k, is: "employer") { employer = v }
            case 9: if key(k, is: "reference") { reference = v }
            case 10: if key(k, is: "department") { department = v }
            case 13: if key(k, is: "otherProvince") { otherProvince = v }
            default: break
            }
        }
        return SourceObservationRecorded(
            department: try vocabulary(Department.self, try required(department)),
            finding: try vocabulary(SourceFinding.self, try required(finding)),
            employer: try present(employer).map { try identifier(CreditCode.self, $0) },
            otherProvince: try present(otherProvince).map { try identifier(DivisionCode.self, $0) },
            reference: try present(reference).map { try string($0) } ?? "")
    }

    func personEnrolled(_ data: Int) throws -> PersonEnrolled {
        var insuranceType = -1, route = -1, employer = -1, division = -1
        try forEachMember(data) { k, v in
            switch Int(k.end - k.start) {
            case 5: if key(k, is: "route") { route = v }
            case 8: if key(k, is: "employer") { employer = v } else if key(k, is: "division") { division = v }
            case 13: if key(k, is: "insuranceType") { insuranceType = v }
            default: break
            }
        }
        return PersonEnrolled(
            insuranceType: try self.insuranceType(try required(insuranceType)),
            route: try vocabulary(EnrolmentRoute.self, try required(route)),
            employer: try present(employer).map { try identifier(CreditCode.self, $0) },
            division: try present(division).map { try identifier(DivisionCode.self, $0) })
    }

    func surveyTaskDispatched(_ data: Int) throws -> SurveyTaskDispatched {
        var taskID = -1, division = -1, reason = -1, assignee = -1
        try forEachMember(data) { k, v in
            switch Int(k.end - k.start) {
            case 6: if key(k, is: "taskID") { taskID = v } else if key(k, is: "reason") { reason = v }
            case 8: if key(k, is: "division") { division = v } else if key(k, is: "assignee") { assignee = v }
            default: break
            }
        }
        return SurveyTaskDispatched(
            taskID: try uuidValue(try required(taskID)),
            division: try identifier(DivisionCode.self, try required(division)),
            reason: try vocabulary(SurveyTaskReason.self, try required(reason)),
            assignee: try present(assignee).map { try string($0) } ?? "")
    }

    func surveyReviewed(_ data: Int) throws -> SurveyReviewed {
        var taskID = -1, level = -1, decision = -1, reviewerID = -1, reason = -1
        try forEachMember(data) { k, v in
            switch Int(k.end - k.start) {
            case 5: if key(k, is: "level") { level = v }
            case 6: if key(k, is: "taskID") { taskID = v } else if key(k, is: "reason") { reason = v }
            case 8: if key(k, is: "decision") { decision = v }
            case 10: if key(k, is: "reviewerID") { reviewerID = v }
            default: break
            }
        }
        return SurveyReviewed(
            taskID: try uuidValue(try required(taskID)),
            level: try vocabulary(ReviewLevel.self, try required(level)),
            decision: try vocabulary(ReviewDecision.self, try required(decision)),
            reviewerID: try string(try required(reviewerID)),
            reason: try present(reason).map { try string($0) } ?? "")
    }

    func statusMarked(_ data: Int) throws -> StatusMarked {
        var mark = -1, reasonCode = -1, note = -1
        try forEachMember(data) { k, v in
            switch Int(k.end - k.start) {
            case 4: if key(k, is: "mark") { mark = v } else if key(k, is: "note") { note = v }
            case 10: if key(k, is: "reasonCode") { reasonCode = v }
            default: break
            }
        }
        return StatusMarked(
            mark: try vocabulary(StatusMark.self, try required(mark)),
            reasonCode: try string(try required(reasonCode)),
            note: try present(note).map { try string($0) } ?? "")
    }
}
