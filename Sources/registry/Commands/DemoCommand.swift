import ArgumentParser
import EventLog
import FileStore
import Foundation
import RegistryDomain
import RegistryProjections
import RegistrySimulation

/// `registry demo`: builds a synthetic city in a fresh file store, replays it and prints its main views.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a synthetic city in a fresh file store, replay it, and print coverage, survey progress and ledgers.",
        discussion: """
            The city (Tianjin's district codes, streets and communities; registrations, source comparisons, \
            enrolments, interruptions, survey tasks, visits and reviews over 2023-2024) is deterministic for a seed. \
            The store directory must be new, empty, or a previous demo store (marked by a \(DemoStoreDirectory.markerName) \
            file), which is then wiped; any other directory is left alone.
            """)

    @Option(help: ArgumentHelp("The demo store directory (file store).", valueName: "DIR"))
    var store: String = "./registry-demo"

    @Option(help: "Persons in the city (about five events each).")
    var persons = 5000

    @Option(help: "The seed: the same seed and size give the same city.")
    var seed: UInt64 = 2016

    @Option(help: "Rows of the ledgers to show.")
    var rows = 5

    func validate() throws {
        guard (1...10_000_000).contains(persons) else { throw ValidationError("--persons must be between 1 and 10,000,000") }
        guard rows >= 0 else { throw ValidationError("--rows must be 0 or more") }
        if case .postgres = StoreLocation(store) {
            throw ValidationError("the demo builds a file store: give --store a directory")
        }
    }

    func run() async throws {
        let location = StoreLocation(store)
        try await CommandFailure.reporting(store: location) {
            try DemoStoreDirectory(path: store).prepare()
            let fileStore = try FileEventStore(directory: store)
            do {
                try await build(in: fileStore)
            } catch {
                try? await fileStore.close()
                throw error
            }
            try await fileStore.close()
        }
    }

    /// Loads the city, replays it and prints the views.
    func build(in fileStore: FileEventStore) async throws {
        let city = CitySimulation(.init(persons: persons, seed: seed))
        let expected = persons * 5
        let loadBar = TerminalProgress(unit: "events")
        let loaded = try await city.load(into: fileStore) { count in
            loadBar.update(done: count, fraction: min(1, Double(count) / Double(expected)))
        }
        loadBar.finish()
        let loadSeconds = loadBar.elapsed
        var out = "Built a synthetic city of \(TerminalProgress.grouped(persons)) persons: "
        out += "\(TerminalProgress.grouped(loaded)) events in \(String(format: "%.2f", loadSeconds)) s, file store \(store)\n"

        let replayBar = TerminalProgress(unit: "events")
        var replayed = 0
        let model = try await ProjectionEngine.rebuild(RegistryFold(), from: fileStore) { p in
            replayed = p.events
            replayBar.update(done: p.events, fraction: p.fraction)
        }
        replayBar.finish()
        let seconds = replayBar.elapsed
        out += "Replayed \(TerminalProgress.grouped(replayed)) events in \(String(format: "%.2f", seconds)) s"
        out += " (\(TerminalProgress.grouped(seconds > 0 ? Int(Double(replayed) / seconds) : 0)) events/s)\n\n"

        // The views as of the last day of the simulated two years, so the demo prints the same numbers every day.
        let now = Timestamp(microsecondsSinceEpoch: city.parameters.start.microsecondsSinceEpoch + 730 * 86_400_000_000 - 1)
        out += model.coverageTable(level: .county, at: now, totalsOnly: true).render(.table) + "\n"
        out += model.worklistProgressTable(level: .county, at: now).render(.table) + "\n"
        out += model.ledgerTable(at: now, includeCleared: true, limit: rows).render(.table) + "\n"
        out += model.interruptionsTable(at: now, limit: rows).render(.table) + "\n"
        out += nextSteps(model, at: now, asOf: CalendarDate(now).description)
        Terminal.writeOutput(out)
    }

    /// Commands to try next, naming a synthetic person with an open ledger case (or any person).
    func nextSteps(_ model: RegistryFold, at now: Timestamp, asOf: String) -> String {
        let key = model.interruptions(at: now).first?.key ?? model.ledger(includeCleared: false).first?.key
        let person = key.map(PersonKey.citizenID) ?? CitySimulation(.init(persons: persons, seed: seed)).citizenID(0).value
        let s = store.contains(" ") ? "'\(store)'" : store
        return """
            Next (the ID is a synthetic person's):
              registry coverage --store \(s) --level street --as-of \(asOf)
              registry worklist --store \(s) --level street --as-of \(asOf)
              registry history --store \(s) \(person)
              registry explain --store \(s) --as-of \(asOf) \(person)
              registry verify --store \(s)

            """
    }
}
