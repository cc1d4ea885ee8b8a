import Foundation
import EventLog
import RegistryDomain
import RegistryProjections

/// `history` and `explain` for an employer: its stream's facts, and what each changed.
enum EmployerHistory {
    /// Every fact of an employer's stream.
    /// - Throws: ``CommandFailure`` when the stream is empty; the store's errors.
    static func table<S: EventStore>(_ code: CreditCode, store: S, at location: String) async throws -> ViewTable {
        let events = try await store.readStream(.employer(code))
        guard !events.isEmpty else {
            throw CommandFailure("no facts about employer \(code.value) in the store", at: location, fix: "check the code and --store")
        }
        // Employer facts hold no personal data, so the masking view is never consulted; it needs some subject.
        var personal = PersonalView<S>(subject: try CitizenID("11010519491231002X"))
        var rows: [[ViewTable.Cell]] = []
        for event in events {
            let details = try await EventDetails.describe(try RegistryEvent.decode(event), personal: &personal)
            rows.append([
                .int(Int(event.position)), .text(LocalTime.text(event.effectiveTime)), .text(LocalTime.text(event.recordedTime)),
                .text(event.type), .text(event.metadata.actor.isEmpty ? "-" : event.metadata.actor), .text(details),
            ])
        }
        return ViewTable(
            title: "History of employer \(code.value): \(LocalTime.count(events.count, "fact")), times in China Standard Time",
            columns: ["position", "effective", "recorded", "type", "source", "details"], rows: rows)
    }
}

extension EmployerExplanation {
    /// The explanation as a table of steps followed by the conclusions.
    func table() -> ViewTable {
        ViewTable(
            title: "Explain employer \(employer)",
            columns: ["position", "effective", "recorded", "event", "actor", "changed"],
            rows: steps.map { s in
                [.int(Int(s.position)), .text(LocalTime.text(s.effective)), .text(LocalTime.text(s.recorded)), .text(s.type), .text(s.actor),
                 .text(s.changes.isEmpty ? "-" : s.changes.joined(separator: "; "))]
            } + conclusions.map { [.text(""), .text(""), .text(""), .text("=>"), .text(""), .text($0)] })
    }
}
