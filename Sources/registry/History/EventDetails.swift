import Foundation
import EventLog
import RegistryDomain

/// One line of `key=value` pairs describing an event's payload for `history`, personal values masked unless the
/// ``PersonalView`` reveals them.
enum EventDetails {
    /// The details of an event.
    /// - Throws: the audit append's error when revealing.
    static func describe<S: EventStore>(_ event: RegistryEvent, personal: inout PersonalView<S>) async throws -> String {
        var f = Fields()
        // Free text (notes, reasons, references) may hold a number typed by someone: masked unless revealing.
        let revealing = personal.isRevealing
        let free: (String) -> String = { revealing ? $0 : Masking.scrubbed($0) }
        switch event {
        case .personRegistered(let p):
            let shown = try await personal.show(p)
            f["name"] = shown.name
            if personal.isRevealing {  // both are read from the ID number, which is masked otherwise
                f["sex"] = "\(p.citizenID.sex)"
                f["born"] = "\(p.citizenID.birthDate)"
            }
            f["ethnicity"] = free(p.ethnicity)
            f["hukouType"] = "\(p.hukouType)"
            f["hukouDivision"] = p.hukouDivision?.value
            f["hukouAddress"] = shown.hukouAddress
            f["residenceDivision"] = p.residenceDivision?.value
            f["residenceAddress"] = shown.residenceAddress
            f["phone"] = shown.phone
            f["employment"] = "\(p.employmentStatus)"
            f["source"] = "\(p.source)"
        case .personDataCorrected(let p):
            for c in p.corrections {
                switch c.field {
                case .name, .phone, .hukouAddress, .residenceAddress, .ethnicity:
                    f[c.field.description] = personal.isRevealing ? try await personal.show(c.value) : Self.masked(c)
                default:
                    f[c.field.description] = Self.masked(c)
                }
            }
            f["basis"] = "\(p.basis)"
            f["note"] = free(p.note)
        case .sourceObservationRecorded(let p):
            f["department"] = "\(p.department)"
            f["finding"] = "\(p.finding)"
            f["employer"] = p.employer?.value
            f["otherProvince"] = p.otherProvince?.value
            f["reference"] = free(p.reference)
        case .personEnrolled(let p):
            f["type"] = p.insuranceType.name
            f["route"] = "\(p.route)"
            f["employer"] = p.employer?.value
            f["division"] = p.division?.value
        case .contributionInterrupted(let p):
            f["type"] = p.insuranceType.name
            f["reasonCode"] = free(p.reasonCode)
        case .contributionResumed(let p):
            f["type"] = p.insuranceType.name
            f["route"] = "\(p.route)"
            f["employer"] = p.employer?.value
        case .enrolmentTerminated(let p):
            f["type"] = p.insuranceType.name
            f["reason"] = "\(p.reason)"
        case .enrolmentTransferredOut(let p):
            f["type"] = p.insuranceType.name
            f["destination"] = p.destination.value
        case .enrolmentTransferredIn(let p):
            f["type"] = p.insuranceType.name
            f["origin"] = p.origin.value
            f["route"] = "\(p.route)"
            f["employer"] = p.employer?.value
        case .surveyTaskDispatched(let p):
            f["task"] = Self.short(p.taskID.uuidString)
            f["division"] = p.division.value
            f["reason"] = "\(p.reason)"
            f["assignee"] = free(p.assignee)
        case .surveyObservationRecorded(let p):
            f["task"] = Self.short(p.taskID.uuidString)
            f["outcome"] = "\(p.outcome)"
            f["surveyors"] = free(p.surveyorIDs.joined(separator: ","))
            f["device"] = free(p.deviceID)
            f["visited"] = "\(p.visitedAt)"
            f["name"] = try await personal.show(p.name)
            f["certificate"] = try await personal.show(p.certificateNumber)
            if let phone = p.phone { f["phone"] = try await personal.show(phone) }
            f["hukouPlace"] = try await personal.show(p.hukouPlace)
            f["residence"] = try await personal.show(p.residence)
            f["insured"] = p.insuranceTypes.map(\.name).joined(separator: ",")
            f["reasonNotEnrolled"] = free(p.reasonNotEnrolled)
            f["employment"] = "\(p.employmentStatus)"
            f["employer"] = p.employerCode?.value
        case .surveyReviewed(let p):
            f["task"] = Self.short(p.taskID.uuidString)
            f["level"] = "\(p.level)"
            f["decision"] = "\(p.decision)"
            f["reviewer"] = free(p.reviewerID)
            f["reason"] = free(p.reason)
        case .statusMarked(let p):
            f["mark"] = "\(p.mark)"
            f["reasonCode"] = free(p.reasonCode)
            f["note"] = free(p.note)
        case .statusMarkWithdrawn(let p):
            f["withdrawn"] = "\(p.mark)"
            f["reasonCode"] = free(p.reasonCode)
            f["note"] = free(p.note)
        case .sourceFindingEnded(let p):
            f["department"] = "\(p.department)"
            f["ended"] = "\(p.finding)"
            f["reference"] = free(p.reference)
        case .employerRegistered(let p):
            f["creditCode"] = p.creditCode.value
            f["division"] = p.division.value
            f["labourDispatch"] = p.isLabourDispatch ? "yes" : nil
        case .employerScreened(let p):
            f["campaign"] = free(p.campaign)
            f["staff"] = String(p.staffCount)
            f["unenrolled"] = String(p.unenrolledStaff)
            f["suspectedDispatch"] = p.suspectedLabourDispatch ? "yes" : nil
        case .employerInsuredUnitRegistered(let p):
            f["unitNumber"] = p.unitNumber
            f["agency"] = p.agencyDivision.value
            f["types"] = p.insuranceTypes.map(\.name).joined(separator: ",")
        case .employerScreeningDispatched(let p):
            f["task"] = short(p.taskID.uuidString)
            f["division"] = p.division.value
            f["reasons"] = p.reasons.map(\.rawValue).joined(separator: ",")
            f["persons"] = String(p.persons)
            f["assignee"] = p.assignee
        case .employerScreeningRecorded(let p):
            f["task"] = short(p.taskID.uuidString)
            f["outcome"] = p.outcome.rawValue
            f["persons"] = p.persons == 0 ? nil : String(p.persons)
            f["note"] = p.note
        case .targetSet(let p):
            f["area"] = p.area.value
            f["type"] = p.insuranceType?.name ?? "all"
            f["kind"] = p.kind.rawValue
            f["period"] = "\(p.from)..\(p.to)"
            f["value"] = p.kind.isRate ? String(format: "%.1f", p.value) : String(Int(p.value))
            f["note"] = p.note
        case .personalDataRevealed(let p):
            f["subject"] = p.subject.masked
            f["fields"] = p.fields.joined(separator: ",")
            f["viewer"] = free(p.viewer)
            f["reason"] = free(p.reason)
        }
        return f.text
    }

    /// A correction's value masked by its field's kind (`FieldCorrection.description` is `field=masked`).
    static func masked(_ c: FieldCorrection) -> String {
        let text = c.description
        return text.firstIndex(of: "=").map { String(text[text.index(after: $0)...]) } ?? text
    }

    /// The first block of a UUID: enough to tell tasks apart in a history.
    static func short(_ uuid: String) -> String { String(uuid.prefix(8)) }

    /// Ordered `key=value` pairs; empty and nil values are left out.
    struct Fields {
        private var pairs: [(String, String)] = []

        subscript(key: String) -> String? {
            get { pairs.first { $0.0 == key }?.1 }
            set {
                guard let newValue, !newValue.isEmpty else { return }
                pairs.append((key, newValue))
            }
        }

        var text: String { pairs.map { "\($0.0)=\($0.1)" }.joined(separator: " ") }
    }
}
