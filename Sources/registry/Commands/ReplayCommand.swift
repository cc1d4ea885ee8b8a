import ArgumentParser
import EventLog
import Foundation
import RegistryProjections

/// `registry replay`: rebuilds every projection from the first record and reports the speed.
struct ReplayCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild every projection from scratch; print events, seconds and events/s.")

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Count people where they live (residence) or where their household is registered (hukou).")
    var basis: BasisArgument = .residence

    @Option(help: ArgumentHelp("Save the rebuilt model as a checkpoint to this file.", valueName: "FILE"))
    var checkpoint: String?

    func run<S: EventStore>(on store: S) async throws {
        try await StoreHealth.requireIntact(store, at: storeOptions.location)
        let bar = TerminalProgress(unit: "events")
        var events = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let model: RegistryFold
        do {
            model = try await ProjectionEngine.rebuild(RegistryFold(settings: ProjectionSettings(areaBasis: basis.areaBasis)), from: store) { p in
                events = p.events
                bar.update(done: p.events, fraction: p.fraction)
            }
            bar.finish()
        } catch {
            bar.finish()
            throw error
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let rate = seconds > 0 ? Double(events) / seconds : 0
        var out = String(format: "Replayed %d events in %.3f s: %.0f events/s\n", events, seconds, rate)
        out += "\(model.personCount) persons, up to position \(model.position)\n"
        if let checkpoint {
            do {
                try CheckpointFile.save(model, anchor: try await CheckpointAnchor.of(store, at: model.position), to: checkpoint)
            } catch {
                throw CommandFailure("cannot save the checkpoint: \(error)", at: checkpoint, fix: "check the directory and its permissions")
            }
            out += "Checkpoint saved to \(checkpoint) at position \(model.position)\n"
        }
        Terminal.writeOutput(out)
    }
}
