import ArgumentParser
import EventLog
import RegistryDomain
import RegistryProjections

/// `registry explain ID`: why a person has their coverage state, or is on a worklist or ledger.
struct ExplainCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Why a person has their coverage state or is on a worklist or ledger: each fact and what it changed.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var projection: ProjectionOptions
    @OptionGroup(title: "For an employer: the screening rules") var rules: EmployerRuleOptions

    @Argument(help: ArgumentHelp("The person's citizen ID number, or an employer's unified social credit code.", valueName: "ID"))
    var id: String

    @Option(help: "Output format.")
    var format: FormatArgument = .table

    func run<S: EventStore>(on store: S) async throws {
        if let employer = PersonArgument.employer(id) {
            try await StoreHealth.requireIntact(store, at: storeOptions.location)
            let events = try await store.readStream(.employer(employer))
            let fold = try await projection.replay(EmployerFold(settings: rules.settings, cutoff: projection.cutoff), from: store)
            guard !events.isEmpty || fold.employerCoverage().contains(where: { $0.creditCode == employer.value }) else {
                throw CommandFailure("no facts about employer \(employer.value) in the store", at: storeOptions.location.description, fix: "check the code and --store")
            }
            Terminal.writeOutput(try fold.explain(employer, events: events).table().render(format.outputFormat))
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
        let explanation = try RegistryFold.explain(events, settings: projection.settings, cutoff: projection.cutoff)
        Terminal.writeOutput(explanation.table().render(format.outputFormat))
    }
}
