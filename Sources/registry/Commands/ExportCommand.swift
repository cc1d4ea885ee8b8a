import ArgumentParser
import EventLog
import Foundation
import RegistryDomain

/// `registry export`: the whole log, one stream or one category as JSON Lines.
struct ExportCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export events as JSON Lines: the whole log, one stream, or one category.",
        discussion: """
            The output imports back into an empty store as the same log (ids, types, versions, payloads, effective \
            times, metadata). It carries full personal data: an --output file is created readable by its owner only.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp(
        "One stream: a stream id (person-…, employer-…, audit-YYYY-MM-DD) or a citizen ID number.", valueName: "ID"))
    var stream: String?

    @Option(help: ArgumentHelp("One category: person, employer or audit.", valueName: "C"))
    var category: String?

    @Option(name: [.short, .long], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "FILE"))
    var output: String?

    func validate() throws {
        if stream != nil, category != nil { throw ValidationError("give --stream or --category, not both") }
        if let category, RegistryStream.Category(rawValue: category) == nil {
            throw ValidationError("--category takes one of: \(RegistryStream.Category.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run<S: EventStore>(on store: S) async throws {
        let streamID = try stream.map(Self.streamID)
        let sink = try OutputSink(path: output)
        let exporter = JSONLinesExporter(store: store)
        let count: Int
        if let streamID {
            count = try await exporter.exportStream(streamID) { try sink.writeLine($0) }
        } else if let category {
            count = try await exporter.exportCategory(category) { try sink.writeLine($0) }
        } else {
            count = try await exporter.exportAll { try sink.writeLine($0) }
        }
        try sink.finish()
        if let output { Terminal.note("Exported \(count) events to \(output)") }
        if streamID == nil, category == nil, let repairs = try await store.streamVersion(of: StreamID("ops-repair")) {
            Terminal.note("registry: note: \(repairs + 1) repair record(s) of this store (stream ops-repair) are not exported: they describe this store, not the registry")
        }
        if streamID == nil, let damage = await store.knownDamage() {
            throw CommandFailure(
                "the store is damaged: exported the \(count) events before the damage, not those after it: \(damage)",
                at: storeOptions.location.description,
                fix: "run `registry verify --store \(storeOptions.location)` to see how far the log is intact")
        }
    }

    /// A stream id, or a citizen ID number naming a person stream.
    static func streamID(_ text: String) throws -> StreamID {
        if text.contains("-") {
            do {
                let id = try StreamID(text)
                _ = try RegistryStream(id)
                return id
            } catch {
                throw CommandFailure(
                    "\(Masking.mask(text)) is not a registry stream: \(error)",
                    fix: "give person-<citizen ID>, employer-<credit code>, audit-YYYY-MM-DD or a citizen ID number")
            }
        }
        return try PersonArgument.citizenID(text).streamID
    }
}
