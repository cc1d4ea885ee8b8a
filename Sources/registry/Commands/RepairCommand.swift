import ArgumentParser
import EventLog
import FileStore

/// `registry repair`: sets the damaged part of a file store aside, keeps every whole record before it, and
/// records the repair in the log.
struct RepairCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Set a damaged file store's damage aside: keep every whole record before it, record the repair.",
        discussion: """
            Walks the log as verify does. At the first damage, the segment holding it and every later segment are \
            moved unchanged into DIR/damaged/<time>/; the damaged segment is written again with its whole records \
            before the damage; the repair is recorded as a LogRepaired event in the stream ops-repair. Records after \
            the damage leave the log: recover them from an export or a backup. A whole log is left as it is. \
            Prints what it found and did. File stores only.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Who repairs, recorded with the repair.", valueName: "NAME"))
    var actor: String = "registry repair"

    func run() async throws {
        let location = storeOptions.location
        try await CommandFailure.reporting(store: location) {
            guard case .directory(let path) = location else {
                throw CommandFailure("repair works on file stores only", at: location.description,
                                     fix: "restore a damaged PostgreSQL store from an export or a backup")
            }
            guard location.directoryExists else {
                throw CommandFailure("no store found", at: path, fix: "give --store a store directory")
            }
            let report = try await FileEventStore.repair(directory: path, actor: actor)
            Terminal.writeOutput(report.lines.joined(separator: "\n") + "\n")
        }
    }
}
