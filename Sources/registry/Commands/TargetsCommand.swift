import ArgumentParser
import Foundation
import EventLog
import RegistryDomain
import RegistryProjections

/// `registry targets set|list`: targets as facts in `target-<area>` streams.
struct TargetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "targets",
        abstract: "Targets per area, insurance type and period: set (or revise) one, list them with every revision.",
        subcommands: [SetTarget.self, ListTargets.self])

    /// `registry targets set`.
    struct SetTarget: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set a target, or revise one: a later TargetSet with the same area, type, kind and period supersedes it from its effective date.")

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: ArgumentHelp("The area's division code (city, county or street).", valueName: "CODE"))
        var area: String

        @Option(help: ArgumentHelp("The insurance type, or all: \(InsuranceType.allCases.map(\.name).joined(separator: ", ")).", valueName: "TYPE"))
        var type = "all"

        @Option(help: ArgumentHelp("What is measured: \(TargetKind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "KIND"))
        var kind: String

        @Option(help: ArgumentHelp("First month of the period.", valueName: "YYYY-MM"))
        var from: String

        @Option(help: ArgumentHelp("Last month of the period.", valueName: "YYYY-MM"))
        var to: String

        @Option(help: ArgumentHelp("The figure: a count, or a percentage (0-100) for a rate.", valueName: "N"))
        var value: Double

        @Option(help: ArgumentHelp("From when it applies (YYYY-MM-DD, China Standard Time; today by default).", valueName: "DATE"))
        var effective: String?

        @Option(help: "Why (a document number).")
        var note = ""

        @Option(help: ArgumentHelp("Who sets it, recorded as the fact's actor.", valueName: "WHO"))
        var by = "bureau:registry"

        var writesToStore: Bool { true }

        func validate() throws {
            guard (try? DivisionCode(area)) != nil else { throw ValidationError("--area takes a division code such as 120101") }
            guard type == "all" || InsuranceType(name: type) != nil else {
                throw ValidationError("--type takes all or one of: \(InsuranceType.allCases.map(\.name).joined(separator: ", "))")
            }
            guard TargetKind(rawValue: kind) != nil else {
                throw ValidationError("--kind takes one of: \(TargetKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard YearMonth(iso: from) != nil, YearMonth(iso: to) != nil else { throw ValidationError("--from and --to take YYYY-MM") }
            if let effective, CalendarDate(iso: effective) == nil { throw ValidationError("--effective takes YYYY-MM-DD") }
        }

        func run<S: EventStore>(on store: S) async throws {
            let target = TargetSet(
                area: try DivisionCode(area), insuranceType: InsuranceType(name: type), kind: TargetKind(rawValue: kind)!,
                from: YearMonth(iso: from)!, to: YearMonth(iso: to)!, value: value, note: note)
            let when = effective.flatMap { CalendarDate(iso: $0) }.map {
                Timestamp(microsecondsSinceEpoch: LocalCalendar.startOfDay($0.year * 10_000 + $0.month * 100 + $0.day, offset: 8 * 3600))
            } ?? .now
            let result = try await CommandHandler(store: store).setTarget(target, effective: when, metadata: EventMetadata(actor: by))
            Terminal.writeOutput("Target set in target-\(target.area.value) at position \(result.positions.lowerBound)\n")
        }
    }

    /// `registry targets list`.
    struct ListTargets: StoreCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Every target with every revision.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var projection: ProjectionOptions

        @Option(help: "Output format.")
        var format: FormatArgument = .table

        func run<S: EventStore>(on store: S) async throws {
            try await StoreHealth.requireIntact(store, at: storeOptions.location)
            let fold = try await projection.replay(TargetFold(settings: projection.settings, cutoff: projection.cutoff), from: store)
            Terminal.writeOutput(fold.targetsTable().render(format.outputFormat))
        }
    }
}
