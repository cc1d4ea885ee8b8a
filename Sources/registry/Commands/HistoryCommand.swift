import ArgumentParser
import EventLog
import RegistryDomain
import RegistryProjections

/// `registry history ID`: every fact of one person, with its source, position and times; masked unless revealed
/// through the audited API.
struct HistoryCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "One person's full history: position, effective and recorded time, type, source and content of each fact.",
        discussion: """
            Personal data is masked. --reveal shows it in full, and needs --by and --reason: each reveal is first \
            recorded as a PersonalDataRevealed fact in the day's audit stream (nothing is shown if that fails).
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The person's citizen ID number, or an employer's unified social credit code.", valueName: "ID"))
    var id: String

    @Option(help: "Output format.")
    var format: FormatArgument = .table

    @Flag(help: "Show personal data in full (recorded in the audit log; needs --by and --reason).")
    var reveal = false

    @Option(help: ArgumentHelp("Who is looking, such as operator:ops-7 (with --reveal).", valueName: "WHO"))
    var by: String?

    @Option(help: ArgumentHelp("Why (with --reveal).", valueName: "WHY"))
    var reason: String?

    @Flag(help: "Also list who has viewed this person's data (reads the audit streams).")
    var audit = false

    var writesToStore: Bool { reveal }

    func validate() throws {
        if reveal {
            guard let by, !by.trimmingCharacters(in: .whitespaces).isEmpty,
                  let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty
            else {
                throw ValidationError("--reveal needs --by WHO and --reason WHY: every reveal of personal data is recorded")
            }
        } else if by != nil || reason != nil {
            throw ValidationError("--by and --reason go with --reveal")
        }
    }

    func run<S: EventStore>(on store: S) async throws {
        if let employer = PersonArgument.employer(id) {
            guard !reveal else { throw CommandFailure("an employer's history holds no personal data to reveal", fix: "leave out --reveal") }
            try await StoreHealth.requireIntact(store, at: storeOptions.location)
            let table = try await EmployerHistory.table(employer, store: store, at: storeOptions.location.description)
            Terminal.writeOutput(table.render(format.outputFormat))
            return
        }
        let citizenID = try PersonArgument.citizenID(id)
        try await StoreHealth.requireIntact(store, at: storeOptions.location)
        let events = try await store.readStream(citizenID.streamID)
        guard !events.isEmpty else {
            throw CommandFailure(
                "no facts about \(citizenID.masked) in the store", at: storeOptions.location.description,
                fix: "check the number and --store")
        }
        var personal = reveal
            ? PersonalView(subject: citizenID, store: store, viewer: by!, reason: reason!)
            : PersonalView(subject: citizenID)
        var rows: [[ViewTable.Cell]] = []
        for event in events {
            let details = try await EventDetails.describe(try RegistryEvent.decode(event), personal: &personal)
            rows.append([
                .int(Int(event.position)), .text(LocalTime.text(event.effectiveTime)), .text(LocalTime.text(event.recordedTime)),
                .text(event.type), .text(event.metadata.actor.isEmpty ? "-" : reveal ? event.metadata.actor : Masking.scrubbed(event.metadata.actor)), .text(details),
            ])
        }
        let table = ViewTable(
            title: "History of \(personal.citizenID): \(LocalTime.count(events.count, "fact")), times in China Standard Time"
                + (reveal ? " (personal data revealed)" : ""),
            columns: ["position", "effective", "recorded", "type", "source", "details"], rows: rows)
        var out = table.render(format.outputFormat)
        if audit {
            out += (format == .table ? "\n" : "") + (try await reveals(of: citizenID, in: store)).render(format.outputFormat)
        }
        Terminal.writeOutput(out)
        if reveal {
            Terminal.note("Revealed to \(by!) for \"\(reason!)\": \(LocalTime.count(personal.auditFacts, "audit fact")) recorded in audit-\(CalendarDate.today())")
        }
    }

    /// The recorded reveals of this person's data, from the audit streams.
    func reveals<S: EventStore>(of subject: CitizenID, in store: S) async throws -> ViewTable {
        var rows: [[ViewTable.Cell]] = []
        for try await batch in store.readAll(filter: .category("audit")) {
            for event in batch.events {
                guard case .personalDataRevealed(let p) = try RegistryEvent.decode(event), p.subject == subject else { continue }
                rows.append([
                    .int(Int(event.position)), .text(LocalTime.text(event.recordedTime)), .text(p.viewer),
                    .text(p.fields.joined(separator: ",")), .text(p.reason),
                ])
            }
        }
        return ViewTable(
            title: "Reveals of \(subject.masked): \(LocalTime.count(rows.count, "recorded view"))",
            columns: ["position", "recorded", "viewer", "fields", "reason"], rows: rows)
    }
}
