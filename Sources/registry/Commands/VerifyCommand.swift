import ArgumentParser
import EventLog

/// `registry verify`: walks every record's checksum and the hash chain.
struct VerifyCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every record's checksum and the hash chain; print \"intact up to N\" or the first bad position.",
        discussion: "Exit status 3 when the log is damaged. The store is only read. --format json prints one object.")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The report: text, or json (intact, intactUpTo, headHash, and the damage).")
    var format: ReportFormat = .text

    /// The report as JSON.
    struct JSONReport: Encodable {
        struct Damage: Encodable {
            var position: UInt64
            var code: String
            var message: String
        }
        var intact: Bool
        var intactUpTo: UInt64
        var headHash: String?
        var damage: Damage?
    }

    func run<S: EventStore>(on store: S) async throws {
        let head = try await store.headPosition()
        let bar = TerminalProgress(unit: "records")
        let report = await LogVerifier.verify(store) { checked in
            bar.update(done: Int(checked), fraction: head == 0 ? nil : Double(checked) / Double(head))
        }
        bar.finish()
        if let failure = report.failure {
            let bad = failure.position ?? report.intactUpTo + 1
            switch format {
            case .text:
                Terminal.writeOutput("damaged at position \(bad): \(failure)\nintact up to \(report.intactUpTo)\n")
            case .json:
                Terminal.writeOutput(ReportFormat.json(JSONReport(
                    intact: false, intactUpTo: report.intactUpTo, headHash: nil,
                    damage: .init(position: bad, code: failure.code.rawValue, message: "\(failure)"))))
            }
            throw ExitStatus.damaged.exitCode
        }
        switch format {
        case .text:
            Terminal.writeOutput("intact up to \(report.intactUpTo) (head hash \(report.headHash))\n")
        case .json:
            Terminal.writeOutput(ReportFormat.json(JSONReport(
                intact: true, intactUpTo: report.intactUpTo, headHash: "\(report.headHash)", damage: nil)))
        }
    }
}
