import ArgumentParser

/// `registry demo`: placeholder until the synthetic city lands.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Build a synthetic city, replay it and print its views.")

    func run() async throws {}
}
