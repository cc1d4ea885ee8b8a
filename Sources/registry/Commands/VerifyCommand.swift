import ArgumentParser
import EventLog

/// `registry verify`: walks every record's checksum and the hash chain.
struct VerifyCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every record's checksum and the hash chain; print \"intact up to N\" or the first bad position.",
        discussion: "Exit status 3 when the log is damaged. The store is only read.")

    @OptionGroup var storeOptions: StoreOptions

    func run<S: EventStore>(on store: S) async throws {
        let head = try await store.headPosition()
        let bar = TerminalProgress(unit: "records")
        let report = await LogVerifier.verify(store) { checked in
            bar.update(done: Int(checked), fraction: head == 0 ? nil : Double(checked) / Double(head))
        }
        bar.finish()
        if let failure = report.failure {
            let bad = failure.position ?? report.intactUpTo + 1
            Terminal.writeOutput("damaged at position \(bad): \(failure)\nintact up to \(report.intactUpTo)\n")
            throw ExitCode(3)
        }
        Terminal.writeOutput("intact up to \(report.intactUpTo) (head hash \(report.headHash))\n")
    }
}
