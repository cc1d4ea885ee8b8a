/// The path of a field in a JSON line, as error messages name it: `data.corrections[0].field`.
///
/// A key is named only when it is a field of the JSON form (``knownKeys``); any other key (a header name, an
/// unknown key, a key that is someone's name) shows as `?`, so a message never carries text from the line.
public enum JSONFieldPath {
    /// One step of a path.
    public enum Element: Hashable, Sendable {
        /// A key of an object.
        case key(String)
        /// An index of an array.
        case index(Int)
    }

    /// Every key of the envelope and of every event's `data` (docs/JSON-FORM.md); a test checks that every key
    /// the exporter writes is here.
    public static let knownKeys: Set<String> = [
        // The envelope.
        "id", "stream", "type", "version", "effective", "recorded", "position", "actor", "correlation", "causation",
        "headers", "data",
        // Event data.
        "assignee", "basis", "campaign", "certificateNumber", "citizenID", "corrections", "creditCode", "decision",
        "department", "destination", "deviceID", "division", "employer", "employerCode", "employerName",
        "employmentStatus", "ethnicity", "field", "fields", "finding", "hukouAddress", "hukouDivision", "hukouPlace",
        "hukouType", "insuranceType", "insuranceTypes", "isLabourDispatch", "level", "mark", "name", "note", "origin",
        "otherProvince", "outcome", "phone", "reason", "reasonCode", "reasonNotEnrolled", "reference", "residence",
        "residenceAddress", "residenceDivision", "reviewerID", "route", "sex", "source", "staffCount", "subject",
        "surveyorIDs", "suspectedLabourDispatch", "taskID", "unenrolledStaff", "value", "viewer", "visitedAt",
        // Employer screening tasks, insured units and targets.
        "agencyDivision", "unitNumber", "reasons", "persons", "area", "kind", "from", "to",
    ]

    /// The integer fields of the JSON form and their largest values, by path (a test checks that every number the
    /// exporter writes is at one of these paths). `JSONDecoder` reports a number out of its type's range without
    /// its path, so these are checked before decoding (`StrictJSON`).
    public static let integerFields: [String: UInt64] = [
        "version": UInt64(UInt16.max),
        "position": UInt64.max,
        "data.staffCount": UInt64(UInt32.max),
        "data.unenrolledStaff": UInt64(UInt32.max),
        "data.persons": UInt64(UInt32.max),
    ]

    /// The fields of the JSON form that hold a number with decimals (a target's value: a count, or a percentage such
    /// as 95.5); checked by the event's own rules (``TargetRules``), not here.
    public static let decimalFields: Set<String> = ["data.value"]

    /// The lengths of the last keys of ``integerFields``: a number under another key is not looked up.
    static let integerFieldKeyLengths: Set<Int> = Set(integerFields.keys.map { $0.split(separator: ".").last!.utf8.count })

    /// The text of a path; unknown keys show as `?`.
    public static func text(_ path: [Element]) -> String {
        guard !path.isEmpty else { return "the line" }
        var out = ""
        for element in path {
            switch element {
            case .key(let k):
                if !out.isEmpty { out += "." }
                out += knownKeys.contains(k) ? k : "?"
            case .index(let i):
                out += "[\(i)]"
            }
        }
        return out
    }

    /// The path of a decoding error's coding path.
    static func elements(_ codingPath: [any CodingKey]) -> [Element] {
        codingPath.map { key in key.intValue.map(Element.index) ?? .key(key.stringValue) }
    }
}
